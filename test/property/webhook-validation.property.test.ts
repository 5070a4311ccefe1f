import fc from 'fast-check';
import type { LookupAll } from '../../src/net/address-policy';
import { startHookline, TestHookline } from '../helpers/hookline';

const CREATE = 'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }';
/** Every host "resolves" to loopback, so no test input ever makes a DNS query leave the machine. */
const loopbackDns: LookupAll = async () => [{ address: '127.0.0.1', family: 4 }];

// A valid input, then each field replaced, now and then, by anything JSON can carry or by an
// out-of-range value, so that both acceptances and every kind of rejection come up.
const anyJson = fc.jsonValue({ maxDepth: 2 });
const valid = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
    url: fc.constantFrom('http://127.0.0.1:9/hook', 'https://hooks.example.com/x'),
    events: fc.uniqueArray(fc.constantFrom('call.completed', 'call.completed.booked_callback', 'call.failed', '*'), { minLength: 1, maxLength: 3 }),
    filters: fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean())),
    timeoutSeconds: fc.integer({ min: 5, max: 120 }),
    maxRetries: fc.integer({ min: 0, max: 10 }),
    enabled: fc.boolean(),
    headers: fc.dictionary(fc.constantFrom('x-a', 'x-b'), fc.string({ maxLength: 5 })),
  },
  { requiredKeys: ['name', 'url', 'events'] },
);
/** Mostly nothing (the valid value stays); sometimes a wrong value of the field's own kind or any JSON. */
const bad = <T>(wrong: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: wrong, weight: 1 }, { arbitrary: anyJson, weight: 1 });
const damage = fc.record(
  {
    name: bad(fc.constantFrom('', '   ', 'n'.repeat(256))),
    url: bad(fc.constantFrom('ftp://x', 'http://', 'not a url', `http://h/${'p'.repeat(600)}`)),
    events: bad(fc.constantFrom([], ['nope'], [''], ['call.'])),
    filters: bad(fc.constantFrom({ a: [] }, { a: { b: 1 } }, { is_conversion: 'yes' }, { ['k'.repeat(101)]: 1 })),
    secret: bad(fc.constantFrom('whsec_', 'x', 'whsec_!!!!')),
    timeoutSeconds: bad(fc.constantFrom(4, 121, -1, 1.5)),
    maxRetries: bad(fc.constantFrom(-1, 11, 2.5)),
    headers: bad(fc.constantFrom({ host: 'x' }, { 'webhook-id': 'x' }, { 'x b': 'y' }, { 'x-a': 1 })),
    extra: bad(fc.string()),
  },
  { requiredKeys: [] },
);
const input = fc.tuple(valid, damage).map(([v, d]) => {
  const out: Record<string, unknown> = { ...v };
  for (const [k, x] of Object.entries(d)) if (x !== undefined) out[k] = x;
  return out;
});

describe('webhook validation on random input (fast-check, MariaDB)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ lookupAll: loopbackDns });
  });
  afterAll(() => h.stop());

  const countWebhooks = async () => Number((await h.hookline.ds.query('SELECT COUNT(*) AS n FROM webhooks'))[0].n);

  it('neverCrashesAndNeverWritesOnRejection', async () => {
    let accepted = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const before = await countWebhooks();
        const r = await h.gql(CREATE, { i });
        const after = await countWebhooks();
        expect(r.status).toBeLessThan(500);
        if (r.errors) {
          rejected++;
          for (const e of r.errors) {
            expect(e.extensions?.code).toBe('BAD_USER_INPUT');
            expect(Object.keys(e.extensions?.fieldErrors ?? {}).length).toBeGreaterThan(0);
          }
          expect(after).toBe(before);
        } else {
          accepted++;
          expect(r.data.createWebhook.webhook.id).toEqual(expect.any(String));
          expect(after).toBe(before + 1);
        }
      }),
      { numRuns: 100 },
    );
    // Both outcomes were exercised, so neither branch above is vacuous.
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
