"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SecretBox = void 0;
const node_crypto_1 = __importDefault(require("node:crypto"));
/**
 * Seals webhook secrets at rest. With a master key (HOOKLINE_MASTER_KEY) a secret is stored as
 * `enc:v1:<iv>:<tag>:<ciphertext>` (AES-256-GCM); without one it is stored as `plain:<secret>`, so
 * turning the key on later still reads older rows.
 */
class SecretBox {
    key;
    constructor(masterKeyBase64) {
        if (masterKeyBase64)
            this.key = Buffer.from(masterKeyBase64, 'base64');
    }
    seal(secret) {
        if (!this.key)
            return `plain:${secret}`;
        const iv = node_crypto_1.default.randomBytes(12);
        const cipher = node_crypto_1.default.createCipheriv('aes-256-gcm', this.key, iv);
        const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
        return `enc:v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
    }
    open(sealed) {
        if (sealed.startsWith('plain:'))
            return sealed.slice('plain:'.length);
        const [, , iv, tag, ct] = sealed.split(':');
        if (!this.key)
            throw new Error('a webhook secret is encrypted but HOOKLINE_MASTER_KEY is not set');
        const decipher = node_crypto_1.default.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
    }
}
exports.SecretBox = SecretBox;
