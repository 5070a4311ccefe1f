import fc from 'fast-check';
import { startHookline, TestHookline } from '../helpers/hookline';

const PUBLISH = 'mutation($n: Int!) { publishEvent(input: { type: "call.failed", payload: { n: $n } }) { id } }';
const VALID_KEYS = ['key-aaaa-1', 'key_bbbb_2', 'KEY-CCCC-3'];
const INVALID_KEYS = ['short', 'has space!', 'k'.repeat(256)];

/** One request: an Idempotency-Key (or none) and one of two bodies. */
const request = fc.record({ key: fc.option(fc.constantFrom(...VALID_KEYS, ...INVALID_KEYS), { nil: undefined, freq: 5 }), n: fc.constantFrom(0, 1) });

/**
 * Idempotency-Key handling against a model: the first use of a key runs and is stored; the same key
 * and body replays the stored answer byte for byte without running again; another body is refused
 * (422); a malformed key is refused (400); no key always runs. Each run uses a fresh account.
 */
describe('Idempotency-Key on random request sequences (fast-check, MariaDB)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline();
  });
  afterAll(() => h.stop());

  it('behavesLikeTheModel', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), async (requests) => {
        const { accountId, apiKey } = await h.newAccount('idem');
        const first = new Map<string, { n: number; status: number; body: string }>();
        let expectedEvents = 0;
        for (const { key, n } of requests) {
          const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
          if (key !== undefined) headers['idempotency-key'] = key;
          const res = await fetch(`${h.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: PUBLISH, variables: { n } }) });
          const body = await res.text();
          const code = (JSON.parse(body) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code;
          if (key === undefined) {
            expect(res.status).toBe(200);
            expectedEvents++;
          } else if (INVALID_KEYS.includes(key)) {
            expect([res.status, code]).toEqual([400, 'BAD_USER_INPUT']);
          } else if (!first.has(key)) {
            expect(res.status).toBe(200);
            expect(res.headers.get('idempotent-replayed')).toBeNull();
            first.set(key, { n, status: res.status, body });
            expectedEvents++;
          } else if (first.get(key)!.n === n) {
            expect([res.status, body]).toEqual([first.get(key)!.status, first.get(key)!.body]);
            expect(res.headers.get('idempotent-replayed')).toBe('true');
          } else {
            expect([res.status, code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
          }
        }
        const [{ c }] = await h.hookline.ds.query('SELECT COUNT(*) AS c FROM events WHERE account_id = ?', [accountId]);
        expect(Number(c)).toBe(expectedEvents);
      }),
      { numRuns: 30 },
    );
  });
});
