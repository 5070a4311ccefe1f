import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** Random bytes in a generated secret (192 bits, the size Svix issues). @default 24 */
const GENERATED_SECRET_BYTES = 24;
/** Longest user-supplied secret, in characters (the Talkover document's limit). @default 255 */
export const MAX_SECRET_LENGTH = 255;
/** Bounds on the decoded key of a user-supplied `whsec_` secret, in bytes. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
/**
 * Keys kept ready per distinct secret. Decoding base64 and importing a key costs more than the HMAC
 * of a small body, and the same few secrets sign thousands of attempts a second.
 */
const KEY_CACHE_LIMIT = 10_000;

const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const standardKeys = new Map<string, KeyObject>();
const simpleKeys = new Map<string, KeyObject>();

/** Returns the cached key for `secret`, building and caching it on a miss (oldest entry evicted). */
function cachedKey(cache: Map<string, KeyObject>, secret: string, build: (s: string) => Buffer): KeyObject {
  let key = cache.get(secret);
  if (key === undefined) {
    const raw = build(secret);
    if (raw.length === 0) throw new Error('webhook secret must not be empty');
    key = createSecretKey(raw);
    if (cache.size >= KEY_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(secret, key);
  }
  return key;
}

/**
 * The HMAC key of the Standard Webhooks signature: for a `whsec_` secret the base64 after the
 * prefix (as the standard says); any other secret is keyed as given, its UTF-8 bytes.
 */
function standardKeyBytes(secret: string): Buffer {
  return secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** New webhook secret: 'whsec_' + base64 of 24 random bytes (Standard Webhooks format). */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(GENERATED_SECRET_BYTES).toString('base64');
}

/**
 * Validates a user-supplied secret; returns messages (empty = ok). Any string of 1–255 characters is
 * a secret keyed as given (the seeds' receivers HMAC with the string itself); one that starts with
 * 'whsec_' claims the Standard Webhooks format and must be canonical base64 of 24–64 bytes.
 */
export function validateSecret(s: string): string[] {
  if (s.length === 0 || s.length > MAX_SECRET_LENGTH) return [`secret must be 1 to ${MAX_SECRET_LENGTH} characters`];
  if (!s.startsWith(SECRET_PREFIX)) return [];
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
export function signStandard(secret: string, id: string, timestampSec: number, body: string): string {
  const key = cachedKey(standardKeys, secret, standardKeyBytes);
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64');
}

/** Hex HMAC-SHA256 of the exact body keyed with the secret string itself (the seed's simple scheme). */
export function signSimple(secret: string, body: string): string {
  const key = cachedKey(simpleKeys, secret, (s) => Buffer.from(s, 'utf8'));
  return createHmac('sha256', key).update(body).digest('hex');
}

/**
 * All signature headers for one attempt: webhook-id, webhook-timestamp, webhook-signature (one `v1,…`
 * per secret, space-separated, in the order given) and the hex one (`secrets[0]`) under
 * `hexHeader` (@default 'x-hookline-signature').
 * `secrets` lists the current secret first; during a rotation the previous one follows it.
 */
export function signatureHeaders(input: {
  id: string;
  timestampSec: number;
  body: string;
  secrets: readonly string[];
  hexHeader?: string;
}): Record<string, string> {
  const { id, timestampSec, body, secrets, hexHeader = 'x-hookline-signature' } = input;
  if (secrets.length === 0) throw new Error('at least one webhook secret is required to sign');
  let signature = signStandard(secrets[0], id, timestampSec, body);
  for (let i = 1; i < secrets.length; i++) {
    signature += ' ' + signStandard(secrets[i], id, timestampSec, body);
  }
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': signature,
    [hexHeader]: signSimple(secrets[0], body),
  };
}
