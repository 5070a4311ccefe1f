import { startHookline, TestHookline } from '../helpers/hookline';
import { openRawSocket, RawGraphQLSocket } from '../helpers/raw-ws';
import { TokenBuckets } from '../../src/domain/key-limits';

const ME = '{ me { account { id } } }';
const PUBLISH_MANY = 'mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }';

describe('per-API-key limits', () => {
  let h: TestHookline;
  const sockets: RawGraphQLSocket[] = [];
  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_KEY_REQUESTS_PER_SECOND: '5', HOOKLINE_KEY_EVENTS_PER_SECOND: '1', HOOKLINE_KEY_MAX_SOCKETS: '2' } });
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.terminate();
    await h.stop();
  });

  it('refuses requests past the token bucket with 429 RATE_LIMITED and Retry-After, per key', async () => {
    const { apiKey } = await h.newAccount('busy');
    // 30 at once against a bucket of 2 × 5: the burst passes, the rest (bar what refills meanwhile) waits.
    const answers = await Promise.all(Array.from({ length: 30 }, () => h.gql(ME, undefined, { token: apiKey })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    const limited = answers.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    expect(limited!.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key is not slowed by this one.
    expect((await h.gql(ME)).status).toBe(200);
  });

  it('refuses events past the publish rate, counting each event of a batch, and writes nothing', async () => {
    const { apiKey } = await h.newAccount('publisher');
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'call.failed', payload: { call_id: `c${i}` } }));
    const first = await h.gql(PUBLISH_MANY, { inputs: batch(500) }, { token: apiKey });
    expect(first.errors).toBeUndefined();
    const over = await h.gql(PUBLISH_MANY, { inputs: batch(50) }, { token: apiKey });
    expect(over.status).toBe(429);
    expect(over.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const [{ n }] = await h.hookline.ds.query('SELECT COUNT(*) AS n FROM events WHERE account_id = (SELECT account_id FROM api_keys WHERE prefix = ?)', [apiKey.slice(0, 16)]);
    expect(Number(n)).toBe(500);
  });

  it('closes a socket past the per-key maximum with 4029, and frees the slot when one closes', async () => {
    const { apiKey } = await h.newAccount('listener');
    for (let i = 0; i < 2; i++) {
      const s = await openRawSocket(h.url, apiKey);
      sockets.push(s);
      expect(s.closeCode).toBeUndefined();
    }
    const third = await openRawSocket(h.url, apiKey);
    sockets.push(third);
    expect(await third.closed()).toBe(4029);
    sockets[0].socket.close();
    await sockets[0].closed();
    const again = await openRawSocket(h.url, apiKey);
    sockets.push(again);
    expect(again.closeCode).toBeUndefined();
  });
});

describe('TokenBuckets', () => {
  it('grants a full bucket at once, then refills at the rate, and says how long to wait', () => {
    const b = new TokenBuckets(10, 20);
    const t = 1_000_000;
    for (let i = 0; i < 20; i++) expect(b.take('k', 1, t)).toBe(0);
    expect(b.take('k', 1, t)).toBe(1);
    expect(b.take('k', 5, t + 500)).toBe(0);
    expect(b.take('k', 1, t + 500)).toBe(1);
    expect(b.take('other', 20, t)).toBe(0);
  });
});
