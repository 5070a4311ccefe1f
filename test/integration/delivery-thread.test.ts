import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';
import { collect, wsClient } from '../helpers/ws-client';

const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;

/** Distinct event ids the receiver got (a redelivery after a lost lease counts once). */
const ids = (rx: Receiver) => new Set(rx.requests.map((r) => r.headers['webhook-id']));

/** The role all on MySQL delivers on a thread of its own; everything the in-process engine did still holds. */
describe('the delivery thread (role all on MySQL)', () => {
  let h: TestHookline;
  let a: Receiver;
  let b: Receiver;
  beforeAll(async () => {
    // A short lease, so rows a killed thread held come back within the test.
    h = await startHookline({ env: { HOOKLINE_LEASE_MS: '2000' } });
    a = await startReceiver();
    b = await startReceiver();
  });
  afterAll(async () => {
    await h?.stop();
    await a?.close();
    await b?.close();
  });

  it('runs the worker on the thread, not on the API event loop', () => {
    expect(h.hookline.engine.thread).toBeDefined();
    expect(h.hookline.engine.worker).toBeUndefined();
  });

  it('delivers every published event, streams delivery updates from the thread, and counts its attempts in /metrics', async () => {
    const { createWebhook } = await h.ok(CREATE, { i: { name: 'a', url: `${a.url}/a`, events: ['sms.received'] } });
    const client = wsClient(h.url, h.apiKey);
    try {
      const sub = collect(client, `subscription($w: ID) { deliveryUpdated(webhookId: $w) { id eventId status } }`, { w: createWebhook.webhook.id });
      // Live once a first delivery's update comes through.
      const first = await h.ok(PUBLISH, { i: { type: 'sms.received', payload: { n: -1 } } });
      await pollUntil(() => sub.results.some((r) => r.data?.deliveryUpdated.eventId === first.publishEvent.id), { timeoutMs: 10_000 });
      const published = await Promise.all(Array.from({ length: 40 }, (_, n) => h.ok(PUBLISH, { i: { type: 'sms.received', payload: { n } } })));
      await a.waitForRequests(41, 10_000);
      expect(ids(a)).toEqual(new Set([first, ...published].map((p) => p.publishEvent.id)));
      await pollUntil(
        () => {
          const done = new Set(sub.results.filter((r) => r.data?.deliveryUpdated.status === 'SUCCEEDED').map((r) => r.data.deliveryUpdated.eventId));
          return published.every((p) => done.has(p.publishEvent.id));
        },
        { timeoutMs: 10_000 },
      );
    } finally {
      await client.dispose();
    }
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    const succeeded = Number(/^hookline_delivery_attempts_total\{outcome="succeeded"\} (\d+)/m.exec(metrics)?.[1]);
    expect(succeeded).toBeGreaterThanOrEqual(41);
    // The API thread's own figures are there once, not added to the thread's.
    expect(metrics.match(/^hookline_process_process_resident_memory_bytes /gm)).toHaveLength(1);
    expect(metrics).toMatch(/^hookline_events_published_total \d+/m);
    // Retention runs on the thread too.
    expect(metrics).toMatch(/^# TYPE hookline_retention_pruned_rows_total counter/m);
  });

  it('sends the very next publish after updateWebhook to the new URL (the thread forgets the old row at once)', async () => {
    const { createWebhook } = await h.ok(CREATE, { i: { name: 'moving', url: `${a.url}/before`, events: ['call.queued'] } });
    await h.ok(PUBLISH, { i: { type: 'call.queued', payload: { step: 1 } } });
    await pollUntil(() => a.requests.some((r) => r.path === '/before'), { timeoutMs: 10_000 });
    await h.ok(`mutation($id: ID!, $i: UpdateWebhookInput!) { updateWebhook(id: $id, input: $i) { id } }`, {
      id: createWebhook.webhook.id,
      i: { url: `${b.url}/after` },
    });
    const { publishEvent } = await h.ok(PUBLISH, { i: { type: 'call.queued', payload: { step: 2 } } });
    const [req] = await b.waitForRequests(1, 10_000);
    expect(req).toMatchObject({ path: '/after', headers: { 'webhook-id': publishEvent.id } });
    expect(a.requests.filter((r) => r.headers['webhook-id'] === publishEvent.id)).toHaveLength(0);
  });

  it('starts a thread that died again, and loses nothing that was acknowledged', async () => {
    const { createWebhook } = await h.ok(CREATE, { i: { name: 'slow', url: `${b.url}/slow`, events: ['call.failed'] } });
    expect(createWebhook.webhook.id).toBeTruthy();
    // Answers held back, so the thread dies with sends in flight.
    b.setFallback({ status: 200, body: '{}', delayMs: 300 });
    const before = await Promise.all(Array.from({ length: 10 }, (_, n) => h.ok(PUBLISH, { i: { type: 'call.failed', payload: { n } } })));
    await pollUntil(() => b.requests.some((r) => r.path === '/slow'), { timeoutMs: 10_000 });
    const thread = h.hookline.engine.thread as unknown as { worker: { terminate(): Promise<number> } };
    await thread.worker.terminate();
    b.setFallback({ status: 200, body: '{}' });
    const after = await Promise.all(Array.from({ length: 10 }, (_, n) => h.ok(PUBLISH, { i: { type: 'call.failed', payload: { n: 10 + n } } })));
    const want = [...before, ...after].map((p) => p.publishEvent.id);
    await pollUntil(() => want.every((id) => ids(b).has(id)), { timeoutMs: 20_000 });
    // Each row ends SUCCEEDED exactly once in the log, whichever thread sent it.
    const q = `query($w: ID!) { deliveries(webhookId: $w, first: 50) { edges { node { status } } } }`;
    const final = await pollUntil(() => h.ok(q, { w: createWebhook.webhook.id }), {
      timeoutMs: 20_000,
      until: (r) => r.deliveries.edges.length === 20 && r.deliveries.edges.every((e: any) => e.node.status === 'SUCCEEDED'),
      what: 'all 20 deliveries SUCCEEDED',
    });
    expect(final.deliveries.edges).toHaveLength(20);
  });
});
