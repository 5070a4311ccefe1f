"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.generateSecret = generateSecret;
exports.validateSecret = validateSecret;
exports.signStandard = signStandard;
exports.signSimple = signSimple;
exports.signatureHeaders = signatureHeaders;
const node_crypto_1 = require("node:crypto");
const SECRET_PREFIX = 'whsec_';
/** Random bytes in a generated secret (192 bits, the size Svix issues). @default 24 */
const GENERATED_SECRET_BYTES = 24;
/** Bounds on the decoded key of a user-supplied secret, in bytes. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
/**
 * Keys kept ready per distinct secret. Decoding base64 and importing a key costs more than the HMAC
 * of a small body, and the same few secrets sign thousands of attempts a second.
 */
const KEY_CACHE_LIMIT = 10_000;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const standardKeys = new Map();
const simpleKeys = new Map();
/** Returns the cached key for `secret`, building and caching it on a miss (oldest entry evicted). */
function cachedKey(cache, secret, build) {
    let key = cache.get(secret);
    if (key === undefined) {
        const raw = build(secret);
        if (raw.length === 0)
            throw new Error('webhook secret must not be empty');
        key = (0, node_crypto_1.createSecretKey)(raw);
        if (cache.size >= KEY_CACHE_LIMIT)
            cache.delete(cache.keys().next().value);
        cache.set(secret, key);
    }
    return key;
}
/** The HMAC key of a Standard Webhooks secret: the base64 after the optional `whsec_` prefix. */
function standardKeyBytes(secret) {
    const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
    return Buffer.from(b64, 'base64');
}
/** New webhook secret: 'whsec_' + base64 of 24 random bytes (Standard Webhooks format). */
function generateSecret() {
    return SECRET_PREFIX + (0, node_crypto_1.randomBytes)(GENERATED_SECRET_BYTES).toString('base64');
}
/** Validates a user-supplied secret; returns messages (empty = ok). Accepts 'whsec_' + canonical base64 of 24–64 bytes. */
function validateSecret(s) {
    if (!s.startsWith(SECRET_PREFIX)) {
        return [`secret must start with "${SECRET_PREFIX}" followed by base64`];
    }
    const b64 = s.slice(SECRET_PREFIX.length);
    // Receivers' libraries decode strictly, so only canonical, padded standard base64 is safe to accept.
    if (b64.length === 0 || b64.length % 4 !== 0 || !CANONICAL_BASE64.test(b64)) {
        return [`secret must be "${SECRET_PREFIX}" followed by standard padded base64`];
    }
    const bytes = Buffer.from(b64, 'base64').length;
    if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
        return [`secret must encode ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes, got ${bytes}`];
    }
    return [];
}
/** Standard Webhooks signature 'v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>' keyed with the base64-decoded part after 'whsec_'. */
function signStandard(secret, id, timestampSec, body) {
    const key = cachedKey(standardKeys, secret, standardKeyBytes);
    return 'v1,' + (0, node_crypto_1.createHmac)('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64');
}
/** Hex HMAC-SHA256 of the exact body keyed with the secret string itself (the seed's simple scheme). */
function signSimple(secret, body) {
    const key = cachedKey(simpleKeys, secret, (s) => Buffer.from(s, 'utf8'));
    return (0, node_crypto_1.createHmac)('sha256', key).update(body).digest('hex');
}
/**
 * All signature headers for one attempt: webhook-id, webhook-timestamp, webhook-signature (one `v1,…`
 * per secret, space-separated, in the order given) and x-hookline-signature (hex, `secrets[0]`).
 * `secrets` lists the current secret first; during a rotation the previous one follows it.
 */
function signatureHeaders(input) {
    const { id, timestampSec, body, secrets } = input;
    if (secrets.length === 0)
        throw new Error('at least one webhook secret is required to sign');
    let signature = signStandard(secrets[0], id, timestampSec, body);
    for (let i = 1; i < secrets.length; i++) {
        signature += ' ' + signStandard(secrets[i], id, timestampSec, body);
    }
    return {
        'webhook-id': id,
        'webhook-timestamp': String(timestampSec),
        'webhook-signature': signature,
        'x-hookline-signature': signSimple(secrets[0], body),
    };
}
