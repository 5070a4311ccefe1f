import { startHookline, TestAccount, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id idempotencyKey } }`;
const PUBLISH_MANY = `mutation($is: [PublishEventInput!]!) { publishEvents(inputs: $is) { id type } }`;
const STATS = `query($id: ID!) { webhook(id: $id) { stats { deliveries succeeded failed pending } } }`;

describe('publishing events (mysql)', () => {
  let h: TestHookline;
  let rx: Receiver;
  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_POLL_INTERVAL_MS: '50' } });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await h?.stop();
    await rx?.close();
  });

  /** Counts every row of a connection query for one account, page by page. */
  async function countAll(account: TestAccount, field: 'events' | 'deliveries'): Promise<number> {
    let n = 0;
    let after: string | null = null;
    for (;;) {
      const data: any = await h.ok(`query($after: String) { ${field}(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after }, account.apiKey);
      n += data[field].edges.length;
      if (!data[field].pageInfo.hasNextPage) return n;
      after = data[field].pageInfo.endCursor;
    }
  }

  async function webhookFor(account: TestAccount, path: string): Promise<string> {
    return (await h.ok(CREATE, { i: { name: path, url: `${rx.url}/${path}`, events: ['call.failed'] } }, account.apiKey)).createWebhook.webhook.id;
  }

  it('publishing twice with one idempotencyKey returns the same event and creates only one delivery', async () => {
    const account = await h.newAccount('idempotent-publish');
    const webhookId = await webhookFor(account, 'idem');
    const input = { type: 'call.failed', payload: { call_id: 'c1' }, idempotencyKey: 'call-c1-failed' };
    const first = (await h.ok(PUBLISH, { i: input }, account.apiKey)).publishEvent;
    const second = (await h.ok(PUBLISH, { i: input }, account.apiKey)).publishEvent;
    expect(second).toEqual(first);
    expect(first.idempotencyKey).toBe('call-c1-failed');
    expect(await countAll(account, 'events')).toBe(1);
    const { deliveries } = await h.ok(`query($w: ID!) { deliveries(webhookId: $w) { edges { node { eventId } } } }`, { w: webhookId }, account.apiKey);
    expect(deliveries.edges.map((e: any) => e.node.eventId)).toEqual([first.id]);
    await rx.waitForRequests(1, 10_000);
    expect(rx.requests.filter((r) => r.headers['webhook-id'] === first.id)).toHaveLength(1);
  });

  it('a batch with one unknown type is refused as BAD_USER_INPUT keyed inputs.1.type, and nothing of it is written', async () => {
    const account = await h.newAccount('bad-batch');
    await webhookFor(account, 'batch');
    await h.ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'before' } } }, account.apiKey);
    const events = await countAll(account, 'events');
    const deliveries = await countAll(account, 'deliveries');
    expect([events, deliveries]).toEqual([1, 1]);

    const r = await h.gql(
      PUBLISH_MANY,
      {
        is: [
          { type: 'call.failed', payload: { call_id: 'b0' } },
          { type: 'call.exploded', payload: { call_id: 'b1' } },
          { type: 'call.failed', payload: { call_id: 'b2' } },
        ],
      },
      { token: account.apiKey },
    );
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fieldErrors = r.errors?.[0]?.extensions?.fieldErrors;
    expect(Object.keys(fieldErrors)).toEqual(['inputs.1.type']);
    expect(fieldErrors['inputs.1.type'].join(' ')).toMatch(/call\.exploded|unknown/i);
    expect(await countAll(account, 'events')).toBe(events);
    expect(await countAll(account, 'deliveries')).toBe(deliveries);
  });

  it('a batch of 200 events to 3 webhooks creates 600 deliveries and every one arrives', async () => {
    const account = await h.newAccount('big-batch');
    const webhooks = [await webhookFor(account, 'w0'), await webhookFor(account, 'w1'), await webhookFor(account, 'w2')];
    const inputs = Array.from({ length: 200 }, (_, i) => ({ type: 'call.failed', payload: { call_id: `bulk-${i}` } }));
    const { publishEvents } = await h.ok(PUBLISH_MANY, { is: inputs }, account.apiKey);
    expect(publishEvents).toHaveLength(200);
    const eventIds = new Set<string>(publishEvents.map((e: any) => e.id));
    expect(eventIds.size).toBe(200);

    const arrived = () => rx.requests.filter((r) => /^\/w[012]$/.test(r.path) && eventIds.has(r.headers['webhook-id']));
    await pollUntil(() => arrived().length, { until: (n) => n >= 600, timeoutMs: 30_000, what: '600 deliveries to arrive' });
    const pairs = new Set(arrived().map((r) => `${r.path} ${r.headers['webhook-id']}`));
    expect(pairs.size).toBe(600);
    for (const id of webhooks) {
      const stats = await pollUntil(async () => (await h.ok(STATS, { id }, account.apiKey)).webhook.stats, {
        until: (s) => s.succeeded === 200,
        what: `webhook ${id} to record 200 successes`,
      });
      expect(stats).toEqual({ deliveries: 200, succeeded: 200, failed: 0, pending: 0 });
    }
  }, 45_000);
});
