import { compileMatcher, NO_CAMPAIGNS } from '../../src/domain/filters';
import { MAX_FILTER_PATTERN_CHARS, MAX_FILTERS_BYTES, MAX_PAYLOAD_BYTES } from '../../src/domain/match-limits';
import { startHookline, TestHookline } from '../helpers/hookline';

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateWebhookInput!) { updateWebhook(id: $id, input: $i) { id } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const PUBLISH_MANY = `mutation($i: [PublishEventInput!]!) { publishEvents(inputs: $i) { id } }`;
// Resolved by the fake resolver below to a public address, and subscribed to a type this file never publishes: nothing is ever sent.
const SUBSCRIBE_INPUT = (filters: Record<string, unknown>) => ({ name: 'f', url: 'https://hooks.example.com/h', events: ['call.failed'], filters });

/** Filters of `keys` keys, each an any-of array of `values` distinct 500-character strings (equality, not LIKE). */
const bulkyFilters = (keys: number, values: number) =>
  Object.fromEntries(Array.from({ length: keys }, (_, k) => [`k${k}`, Array.from({ length: values }, (_, v) => `${k}-${v}-`.padEnd(500, 'x'))]));

describe('what publish-time matching and the filters column may be asked to hold (MariaDB)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'false' }, lookupAll: async (host) => (host === 'db.internal' ? [{ address: '10.20.30.40', family: 4 }] : [{ address: '93.184.215.14', family: 4 }]) });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const countWebhooks = async () => Number((await h.hookline.ds.query('SELECT COUNT(*) AS n FROM webhooks'))[0].n);
  const countEvents = async () => Number((await h.hookline.ds.query('SELECT COUNT(*) AS n FROM events'))[0].n);

  it(`refuses a payload over ${MAX_PAYLOAD_BYTES} bytes on publishEvent and publishEvents, naming the field, and stores nothing`, async () => {
    const big = { transcript: 'a'.repeat(MAX_PAYLOAD_BYTES) };
    const one = await h.gql(PUBLISH, { i: { type: 'call.completed', payload: big } });
    expect(one.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { payload: [expect.stringMatching(/at most 65536 bytes as JSON \(got 65553\)/)] } });
    const many = await h.gql(PUBLISH_MANY, { i: [{ type: 'call.completed', payload: {} }, { type: 'call.completed', payload: big }] });
    expect(Object.keys(many.errors?.[0]?.extensions?.fieldErrors ?? {})).toEqual(['inputs.1.payload']);
    expect(await countEvents()).toBe(0);
    const fits = await h.gql(PUBLISH, { i: { type: 'call.completed', payload: { transcript: 'a'.repeat(MAX_PAYLOAD_BYTES - 20) } } });
    expect(fits.errors).toBeUndefined();
  });

  it(`refuses filters holding more than ${MAX_FILTER_PATTERN_CHARS} LIKE pattern characters, on create and update`, async () => {
    const tooMany = { to: ['+1555%'.padEnd(60, '5'), '%'.padEnd(41, 'a')] };
    const created = await h.gql(CREATE, { i: SUBSCRIBE_INPUT(tooMany) });
    expect(created.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { filters: [`LIKE patterns may hold at most ${MAX_FILTER_PATTERN_CHARS} characters in all (got 101)`] } });
    expect(await countWebhooks()).toBe(0);
    const ok = await h.ok(CREATE, { i: SUBSCRIBE_INPUT({ to: ['+1555%'.padEnd(60, '5'), '%'.padEnd(40, 'a')] }) });
    const updated = await h.gql(UPDATE, { id: ok.createWebhook.webhook.id, i: { filters: tooMany } });
    expect(Object.keys(updated.errors?.[0]?.extensions?.fieldErrors ?? {})).toEqual(['filters']);
  });

  it('keeps the worst match the bounds allow (every pattern character over the largest payload string) to milliseconds', () => {
    // `%a_a_…b%` over `aaa…` tries the whole pattern at every position: the slowest shape there is.
    const match = compileMatcher({ events: ['*'], filters: { s: `%${'a_'.repeat((MAX_FILTER_PATTERN_CHARS - 3) / 2)}b%` } });
    const event = { type: 'call.completed', payload: { s: 'a'.repeat(MAX_PAYLOAD_BYTES - 10) } };
    const runs = Array.from({ length: 5 }, () => {
      const start = performance.now();
      expect(match(event, NO_CAMPAIGNS)).toBe(false);
      return performance.now() - start;
    });
    // About 8 ms on a loaded shared machine; a regression to quadratic-in-payload would be seconds.
    expect(Math.min(...runs)).toBeLessThan(50);
  });

  it(`refuses filters larger than their ${MAX_FILTERS_BYTES}-byte column with a field error, where MariaDB would fail the write`, async () => {
    const before = await countWebhooks();
    const r = await h.gql(CREATE, { i: SUBSCRIBE_INPUT(bulkyFilters(50, 100)) });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.fieldErrors.filters[0]).toMatch(/filters may take at most 65535 bytes as JSON \(got \d+\)/);
    expect(await countWebhooks()).toBe(before);
    // 50 KB, under the column: stored and read back whole.
    const fits = bulkyFilters(1, 100);
    const { createWebhook } = await h.ok(CREATE, { i: SUBSCRIBE_INPUT(fits) });
    const back = await h.ok(`query($id: ID!) { webhook(id: $id) { filters } }`, { id: createWebhook.webhook.id });
    expect(back.webhook.filters).toEqual(fits);
  });

  it('refuses a private target saying it is not public, never what it resolves to', async () => {
    const r = await h.gql(CREATE, { i: { name: 'internal', url: 'http://db.internal/hook', events: ['call.failed'] } });
    const message = r.errors?.[0]?.extensions?.fieldErrors?.url?.[0] as string;
    expect(message).toBe('webhook target db.internal is not a public address; set HOOKLINE_ALLOW_PRIVATE_TARGETS=true to allow private targets in development');
    expect(message).not.toMatch(/10\.20\.30\.40|private range/);
    const oneOff = await h.gql(PUBLISH, { i: { type: 'call.completed', payload: {}, webhookUrl: 'http://db.internal/x' } });
    expect(oneOff.errors?.[0]?.extensions?.fieldErrors?.webhookUrl?.[0]).not.toContain('10.20.30.40');
  });
});
