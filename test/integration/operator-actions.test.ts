import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';

const ATTEMPT = 'number trigger responseStatus responseBody errorKind';
const DELIVERY = `id status attemptCount attempts { ${ATTEMPT} }`;
const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const BY_EVENT = `query($e: ID!) { deliveries(eventId: $e) { edges { node { ${DELIVERY} } } } }`;
const REPLAY = `mutation($id: ID!, $since: DateTime!, $onlyFailed: Boolean) { replayWebhook(id: $id, since: $since, onlyFailed: $onlyFailed) { count } }`;

/** One account whose webhook (call.failed, unless `webhook` says otherwise) posts to its own receiver. */
async function tenant(h: TestHookline, receivers: Receiver[], webhook: Record<string, unknown> = {}) {
  const account = await h.newAccount('operator');
  const rx = await startReceiver();
  receivers.push(rx);
  const ok = (query: string, variables?: Record<string, unknown>) => h.ok(query, variables, account.apiKey);
  const createWebhook = async () => (await ok(CREATE, { i: { name: 'rx', url: `${rx.url}/hook`, events: ['call.failed'], ...webhook } })).createWebhook;
  const publish = async (type = 'call.failed'): Promise<string> => (await ok(PUBLISH, { i: { type, payload: { call_id: 'c1' } } })).publishEvent.id;
  const delivery = async (eventId: string) => (await ok(BY_EVENT, { e: eventId })).deliveries.edges[0]?.node;
  const settled = (eventId: string, until = (d: any) => d?.status === 'SUCCEEDED' || d?.status === 'FAILED') =>
    pollUntil(() => delivery(eventId), { until, what: `delivery of ${eventId} settled` });
  return { rx, ok, createWebhook, publish, delivery, settled };
}

/** The value of one sample in Prometheus text, or undefined when the line is absent. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

const ids = (requests: { headers: Record<string, string> }[]) => requests.map((r) => r.headers['webhook-id']).sort();

describe('operator actions (mysql)', () => {
  let h: TestHookline;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_POLL_INTERVAL_MS: '50' } });
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('testWebhook sends at once and returns the attempt (trigger TEST, the receiver status); with eventType it sends the catalog example', async () => {
    const t = await tenant(h, receivers);
    const { webhook, secret } = await t.createWebhook();
    const TEST = `mutation($id: ID!, $type: String) { testWebhook(id: $id, eventType: $type) { ${ATTEMPT} } }`;
    t.rx.respond({ status: 202, body: 'got it' });
    const first = (await t.ok(TEST, { id: webhook.id })).testWebhook;
    expect(first).toMatchObject({ number: 1, trigger: 'TEST', responseStatus: 202, responseBody: 'got it', errorKind: null });
    expect(t.rx.requests).toHaveLength(1);
    expect(new StandardWebhook(secret).verify(t.rx.requests[0].body, t.rx.requests[0].headers)).toMatchObject({ type: 'webhook.test' });

    const { eventTypes } = await t.ok(`{ eventTypes { name examplePayload } }`);
    const example = eventTypes.find((e: any) => e.name === 'call.completed').examplePayload;
    t.rx.respond({ status: 503 });
    const second = (await t.ok(TEST, { id: webhook.id, type: 'call.completed' })).testWebhook;
    expect(second).toMatchObject({ trigger: 'TEST', responseStatus: 503, errorKind: 'HTTP_STATUS' });
    const body = JSON.parse(t.rx.requests[1].body);
    expect(body).toMatchObject({ type: 'call.completed', data: example });
    // A test is never retried, even when it fails.
    await expect(t.rx.waitForRequests(3, 800)).rejects.toThrow(/got 2/);
  });

  it('redeliver sends a SUCCEEDED delivery again with the same webhook-id, as a MANUAL attempt', async () => {
    const t = await tenant(h, receivers);
    await t.createWebhook();
    const eventId = await t.publish();
    const d = await t.settled(eventId);
    expect(d.status).toBe('SUCCEEDED');
    await t.ok(`mutation($id: ID!) { redeliver(deliveryId: $id) { id } }`, { id: d.id });
    const [r1, r2] = await t.rx.waitForRequests(2, 10_000);
    expect(r2.headers['webhook-id']).toBe(r1.headers['webhook-id']);
    expect(r2.headers['webhook-id']).toBe(eventId);
    const again = await t.settled(eventId, (x) => x?.attemptCount === 2 && x.status === 'SUCCEEDED');
    expect(again.attempts.map((a: any) => [a.number, a.trigger, a.responseStatus])).toEqual([
      [1, 'SCHEDULED', 200],
      [2, 'MANUAL', 200],
    ]);
  });

  it('replayWebhook with onlyFailed re-queues only the FAILED deliveries and returns their count', async () => {
    const t = await tenant(h, receivers, { maxRetries: 0 });
    const { webhook } = await t.createWebhook();
    const since = new Date(Date.now() - 1_000).toISOString();
    t.rx.respond({ status: 500 }, { status: 200 }, { status: 500 });
    const events: string[] = [];
    for (const want of ['FAILED', 'SUCCEEDED', 'FAILED']) {
      events.push(await t.publish());
      expect((await t.settled(events[events.length - 1])).status).toBe(want);
    }
    const { replayWebhook } = await t.ok(REPLAY, { id: webhook.id, since, onlyFailed: true });
    expect(replayWebhook.count).toBe(2);
    const all = await t.rx.waitForRequests(5, 10_000);
    expect(ids(all.slice(3))).toEqual([events[0], events[2]].sort());
    for (const id of [events[0], events[2]]) {
      const d = await t.settled(id, (x) => x?.attemptCount === 2 && x.status === 'SUCCEEDED');
      expect(d.attempts.map((a: any) => a.trigger)).toEqual(['SCHEDULED', 'MANUAL']);
    }
    expect((await t.delivery(events[1])).attemptCount).toBe(1);
  });

  it('replayWebhook without onlyFailed also delivers past matching events that never had a delivery', async () => {
    const t = await tenant(h, receivers);
    const since = new Date(Date.now() - 1_000).toISOString();
    const before = [await t.publish(), await t.publish()];
    const unmatched = await t.publish('sms.received');
    const { webhook } = await t.createWebhook();
    const after = await t.publish();
    expect((await t.settled(after)).status).toBe('SUCCEEDED');

    const { replayWebhook } = await t.ok(REPLAY, { id: webhook.id, since, onlyFailed: false });
    expect(replayWebhook.count).toBe(3);
    const all = await t.rx.waitForRequests(4, 10_000);
    expect(ids(all.slice(1))).toEqual([...before, after].sort());
    expect(ids(all)).not.toContain(unmatched);
    for (const id of before) expect((await t.settled(id)).status).toBe('SUCCEEDED');
  });

  it('Webhook.stats counts deliveries by outcome and reports the success rate and p50/p95 latency', async () => {
    const t = await tenant(h, receivers, { maxRetries: 0 });
    const { webhook } = await t.createWebhook();
    t.rx.respond({ status: 200, delayMs: 100 }, { status: 200, delayMs: 100 }, { status: 200, delayMs: 100 }, { status: 500, delayMs: 400 });
    for (let i = 0; i < 4; i++) await t.settled(await t.publish());
    const { webhook: w } = await t.ok(
      `query($id: ID!) { webhook(id: $id) { stats { windowHours deliveries succeeded failed pending attempts successRate p50LatencyMs p95LatencyMs } } }`,
      { id: webhook.id },
    );
    expect(w.stats).toMatchObject({ windowHours: 24, deliveries: 4, succeeded: 3, failed: 1, pending: 0, attempts: 4, successRate: 0.75 });
    expect(w.stats.p50LatencyMs).toBeGreaterThanOrEqual(100);
    expect(w.stats.p50LatencyMs).toBeLessThan(400);
    expect(w.stats.p95LatencyMs).toBeGreaterThanOrEqual(400);
    expect(w.stats.p95LatencyMs).toBeLessThan(1_500);
  });

  it('/metrics counts attempts by outcome in hookline_delivery_attempts_total and exposes hookline_deliveries_due', async () => {
    const metrics = async () => (await fetch(`${h.url}/metrics`)).text();
    const SUCCEEDED = 'hookline_delivery_attempts_total{outcome="succeeded"}';
    const before = await metrics();
    expect(sample(before, 'hookline_deliveries_due')).toBe(0);
    const t = await tenant(h, receivers);
    await t.createWebhook();
    expect((await t.settled(await t.publish())).status).toBe('SUCCEEDED');
    const after = await metrics();
    expect(sample(after, SUCCEEDED)).toBe((sample(before, SUCCEEDED) ?? 0) + 1);
  });
});

describe('queue depth on an api-only process (mysql)', () => {
  let h: TestHookline;
  let rx: Receiver;
  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_ROLE: 'api' } });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await h?.stop();
    await rx?.close();
  });

  it('hookline_deliveries_due counts the deliveries due and not yet claimed', async () => {
    await h.ok(CREATE, { i: { name: 'rx', url: `${rx.url}/hook`, events: ['call.failed'] } });
    await h.ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'c1' } } });
    await h.ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'c2' } } });
    await h.ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'c3' }, deliverAfterSeconds: 600 } });
    const text = await (await fetch(`${h.url}/metrics`)).text();
    // Two are due now; the third is due in 10 minutes; nobody claims them here.
    expect(sample(text, 'hookline_deliveries_due')).toBe(2);
    expect(rx.requests).toHaveLength(0);
  });
});
