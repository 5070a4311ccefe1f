import type { LookupAll } from '../../src/net/address-policy';
import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { Receiver, startReceiver } from '../helpers/receiver';

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;
const PUBLISH_MANY = `mutation($i: [PublishEventInput!]!) { publishEvents(inputs: $i) { id } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;

describe('delivery engine behaviour (MariaDB)', () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  async function hookline(env: Record<string, string>, lookupAll?: LookupAll): Promise<TestHookline> {
    const h = await startHookline({ env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', ...env }, lookupAll });
    stops.push(() => h.stop());
    return h;
  }
  async function receiver(): Promise<Receiver> {
    const rx = await startReceiver();
    stops.push(() => rx.close());
    return rx;
  }

  it('delivers right after the publish commits, without waiting for the poll', async () => {
    const h = await hookline({ HOOKLINE_POLL_INTERVAL_MS: '60000' });
    const rx = await receiver();
    await h.ok(CREATE, { i: { name: 'rx', url: rx.url, events: ['call.failed'] } });
    const started = Date.now();
    await h.ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'wake' } } });
    await rx.waitForRequests(1, 5_000);
    // A 60 s poll could not have found it this fast: the commit woke the worker.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps a slow receiver from starving the others: its sends are capped while other webhooks flow', async () => {
    const h = await hookline({ HOOKLINE_WORKER_CONCURRENCY: '6', HOOKLINE_PER_WEBHOOK_CONCURRENCY: '2', HOOKLINE_CLAIM_BATCH: '10' });
    const slow = await receiver();
    const fast = await receiver();
    slow.setFallback({ status: 200, delayMs: 3_000 });
    await h.ok(CREATE, { i: { name: 'slow', url: slow.url, events: ['sms.sent'] } });
    await h.ok(CREATE, { i: { name: 'fast', url: fast.url, events: ['sms.received'] } });
    // The slow webhook's backlog is published first, so it is due first.
    await h.ok(PUBLISH_MANY, { i: Array.from({ length: 20 }, (_, n) => ({ type: 'sms.sent', payload: { n } })) });
    await h.ok(PUBLISH_MANY, { i: Array.from({ length: 20 }, (_, n) => ({ type: 'sms.received', payload: { n } })) });
    await fast.waitForRequests(20, 2_500);
    // At most 2 of the slow receiver's requests were ever open at once (cap 2; 2 more wait claimed).
    expect(slow.requests.length).toBeLessThanOrEqual(2);
    const claimedForSlow = await h.hookline.ds.query(`SELECT COUNT(*) AS n FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.name = 'slow' AND d.status = 'IN_FLIGHT'`);
    expect(Number(claimedForSlow[0].n)).toBeLessThanOrEqual(4);
  });

  it('refuses at connect time a name that resolved to a public address when saved but to loopback when sent (DNS rebinding)', async () => {
    const answers: string[] = [];
    // First answer (save time) a documentation-range public address, then loopback: no connection
    // is made to either, the save-time check only classifies and the send-time one refuses before dialing.
    const lookupAll: LookupAll = async () => {
      const address = answers.length === 0 ? '8.8.8.8' : '127.0.0.1';
      answers.push(address);
      return [{ address, family: 4 }];
    };
    const h = await hookline({ HOOKLINE_ALLOW_PRIVATE_TARGETS: 'false', HOOKLINE_RETRY_SCHEDULE: '100ms' }, lookupAll);
    const { createWebhook } = await h.ok(CREATE, { i: { name: 'rebind', url: 'http://rebind.example:9/hook', events: ['call.failed'], maxRetries: 3 } });
    await h.ok(PUBLISH, { i: { type: 'call.failed', payload: {} } });
    const delivery = await pollUntil(
      async () => (await h.ok(`query($w: ID!) { deliveries(webhookId: $w) { edges { node { status attemptCount attempts { errorKind error } } } } }`, { w: createWebhook.webhook.id })).deliveries.edges[0]?.node,
      { until: (d) => d?.status === 'FAILED', what: 'the delivery to fail' },
    );
    // Refused, not retried (no retry can make a private target public), and the error says why.
    expect(delivery.attemptCount).toBe(1);
    expect(delivery.attempts[0].errorKind).toBe('BLOCKED_TARGET');
    // The attempt (which API users read) says the target is not public, not what it resolved to.
    expect(delivery.attempts[0].error).toMatch(/rebind\.example is not a public address.*HOOKLINE_ALLOW_PRIVATE_TARGETS/);
    expect(delivery.attempts[0].error).not.toContain('127.0.0.1');
    expect(answers.slice(0, 2)).toEqual(['8.8.8.8', '127.0.0.1']);
  });
});
