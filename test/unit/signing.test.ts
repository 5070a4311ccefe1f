import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  generateSecret,
  signatureHeaders,
  signSimple,
  signStandard,
  validateSecret,
} from '../../src/domain/signing';

/** The seed's Express receiver (seeds/002), verbatim in logic: it re-serialises the parsed body. */
function seedReceiverAccepts(parsedBody: unknown, signature: string, secret: string): boolean {
  const digest = createHmac('sha256', secret).update(JSON.stringify(parsedBody)).digest('hex');
  const a = Buffer.from(signature);
  const b = Buffer.from(digest);
  return a.length === b.length && timingSafeEqual(a, b);
}

const nowSec = () => Math.floor(Date.now() / 1000);
const body = JSON.stringify({
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  type: 'call.completed',
  timestamp: '2025-12-22T10:32:50.000Z',
  data: { call_id: '564d4fd4', phone_number: '+14155551234', duration: 2.5, transcript: [{ id: 1, text: 'Hi, thïs is Sarah 👋' }] },
});

describe('generateSecret', () => {
  it('issues whsec_ secrets of 24 random bytes that pass validation and differ each time', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(24);
    expect(validateSecret(a)).toEqual([]);
    expect(a).not.toBe(b);
  });
});

describe('validateSecret', () => {
  const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');

  it('accepts 24 to 64 byte keys, padded or not', () => {
    expect(validateSecret('whsec_' + b64(24))).toEqual([]);
    expect(validateSecret('whsec_' + b64(32))).toEqual([]);
    expect(validateSecret('whsec_' + b64(64))).toEqual([]);
  });

  it('refuses keys shorter than 24 or longer than 64 bytes', () => {
    expect(validateSecret('whsec_' + b64(23))).toEqual(['secret must encode 24 to 64 bytes, got 23']);
    expect(validateSecret('whsec_' + b64(65))).toEqual(['secret must encode 24 to 64 bytes, got 65']);
  });

  it('accepts any other string of 1 to 255 characters as a secret keyed as given', () => {
    for (const s of ['optional_secret_for_hmac', 'x', b64(24), 's'.repeat(255)]) expect(validateSecret(s)).toEqual([]);
    expect(validateSecret('')).toEqual(['secret must be 1 to 255 characters']);
    expect(validateSecret('s'.repeat(256))).toEqual(['secret must be 1 to 255 characters']);
  });

  it('refuses a whsec_ secret with non-base64, url-safe base64 or missing padding', () => {
    expect(validateSecret('whsec_')).toHaveLength(1);
    expect(validateSecret('whsec_' + '!'.repeat(32))).toHaveLength(1);
    expect(validateSecret('whsec_' + Buffer.alloc(24, 0xfb).toString('base64url'))).toHaveLength(1);
    expect(validateSecret('whsec_' + b64(25).replace(/=+$/, ''))).toHaveLength(1);
  });
});

describe('Standard Webhooks signature', () => {
  it('keys a secret without the whsec_ prefix with its UTF-8 bytes', () => {
    const secret = 'optional_secret_for_hmac';
    const headers = signatureHeaders({ id: 'evt_3', timestampSec: nowSec(), body, secrets: [secret] });
    expect(new Webhook(secret, { format: 'raw' }).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('verifies with the standardwebhooks library', () => {
    const secret = generateSecret();
    const headers = signatureHeaders({ id: 'evt_1', timestampSec: nowSec(), body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('matches the library’s own signature byte for byte', () => {
    const secret = generateSecret();
    const ts = nowSec();
    expect(signStandard(secret, 'evt_2', ts, body)).toBe(new Webhook(secret).sign('evt_2', new Date(ts * 1000), body));
  });

  it('fails verification when the body was tampered with', () => {
    const secret = generateSecret();
    const headers = signatureHeaders({ id: 'evt_1', timestampSec: nowSec(), body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body.replace('2.5', '25'), headers)).toThrow('No matching signature');
  });

  it('fails verification with another secret', () => {
    const headers = signatureHeaders({ id: 'evt_1', timestampSec: nowSec(), body, secrets: [generateSecret()] });
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow('No matching signature');
  });

  it('fails verification when the id header was swapped', () => {
    const secret = generateSecret();
    const headers = signatureHeaders({ id: 'evt_1', timestampSec: nowSec(), body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow();
  });

  it('fails verification when the timestamp is older than five minutes', () => {
    const secret = generateSecret();
    const headers = signatureHeaders({ id: 'evt_1', timestampSec: nowSec() - 6 * 60, body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body, headers)).toThrow('too old');
  });

  it('during a rotation lets a receiver holding only the old or only the new secret verify', () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const headers = signatureHeaders({ id: 'evt_1', timestampSec: nowSec(), body, secrets: [newSecret, oldSecret] });
    const parts = headers['webhook-signature'].split(' ');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(signStandard(newSecret, 'evt_1', Number(headers['webhook-timestamp']), body));
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
  });
});

describe('simple x-hookline-signature', () => {
  it('is what the seed’s Express snippet computes from the parsed body, because our JSON is compact', () => {
    const secret = generateSecret();
    const headers = signatureHeaders({ id: 'evt_1', timestampSec: nowSec(), body, secrets: [secret] });
    expect(JSON.stringify(JSON.parse(body))).toBe(body);
    expect(seedReceiverAccepts(JSON.parse(body), headers['x-hookline-signature'], secret)).toBe(true);
  });

  it('is hex HMAC-SHA256 of the exact body keyed with the secret string', () => {
    expect(signSimple('s3cret', 'abc')).toBe(createHmac('sha256', 's3cret').update('abc').digest('hex'));
    expect(signSimple('s3cret', 'abc')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is refused by the seed receiver for a tampered body or another secret', () => {
    const secret = generateSecret();
    const sig = signSimple(secret, body);
    const tampered = { ...JSON.parse(body), type: 'call.failed' };
    expect(seedReceiverAccepts(tampered, sig, secret)).toBe(false);
    expect(seedReceiverAccepts(JSON.parse(body), sig, generateSecret())).toBe(false);
  });

  it('uses the newest secret during a rotation', () => {
    const [newSecret, oldSecret] = [generateSecret(), generateSecret()];
    const headers = signatureHeaders({ id: 'e', timestampSec: 1, body, secrets: [newSecret, oldSecret] });
    expect(headers['x-hookline-signature']).toBe(signSimple(newSecret, body));
  });
});

describe('signatureHeaders', () => {
  it('sets exactly the four signature headers with the timestamp in unix seconds', () => {
    const headers = signatureHeaders({ id: 'evt_9', timestampSec: 1_766_400_000, body, secrets: [generateSecret()] });
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp', 'x-hookline-signature']);
    expect(headers['webhook-id']).toBe('evt_9');
    expect(headers['webhook-timestamp']).toBe('1766400000');
  });

  it('refuses to sign without a secret', () => {
    expect(() => signatureHeaders({ id: 'e', timestampSec: 1, body, secrets: [] })).toThrow('at least one');
  });
});
