import crypto from 'node:crypto';

/**
 * Seals webhook secrets at rest. With a master key (HOOKLINE_MASTER_KEY) a secret is stored as
 * `enc:v1:<iv>:<tag>:<ciphertext>` (AES-256-GCM); without one it is stored as `plain:<secret>`, so
 * turning the key on later still reads older rows.
 */
export class SecretBox {
  private readonly key?: Buffer;

  constructor(masterKeyBase64?: string) {
    if (masterKeyBase64) this.key = Buffer.from(masterKeyBase64, 'base64');
  }

  /** True without a master key: what is sealed is stored as it is. */
  get sealsInClear(): boolean {
    return !this.key;
  }

  seal(secret: string): string {
    if (!this.key) return `plain:${secret}`;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `enc:v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
  }

  open(sealed: string): string {
    if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
    const [, , iv, tag, ct] = sealed.split(':');
    if (!this.key) throw new Error('a webhook secret is encrypted but HOOKLINE_MASTER_KEY is not set');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  }
}
