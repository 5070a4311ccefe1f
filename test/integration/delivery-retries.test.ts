import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';

const ATTEMPT = 'number trigger startedAt durationMs responseStatus responseBody errorKind error nextAttemptAt';
const DELIVERY = `id status attemptCount nextAttemptAt lastResponseStatus lastError attempts { ${ATTEMPT} }`;
const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const BY_EVENT = `query($e: ID!) { deliveries(eventId: $e) { edges { node { ${DELIVERY} } } } }`;
const WEBHOOK = `query($id: ID!) { webhook(id: $id) { status disabledReason } }`;
const EVENT_TARGETS = `query($id: ID!) { event(id: $id) { deliveries { webhookId } } }`;

/** One account with one webhook (call.failed) pointing at its own receiver, so tests never see each other's traffic. */
async function tenant(h: TestHookline, receivers: Receiver[], webhook: Record<string, unknown> = {}) {
  const account = await h.newAccount('retries');
  const rx = await startReceiver();
  receivers.push(rx);
  const ok = (query: string, variables?: Record<string, unknown>) => h.ok(query, variables, account.apiKey);
  const { createWebhook } = await ok(CREATE, { i: { name: 'rx', url: `${rx.url}/hook`, events: ['call.failed'], ...webhook } });
  const webhookId: string = createWebhook.webhook.id;
  const publish = async (): Promise<string> => (await ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'c1' } } })).publishEvent.id;
  const delivery = async (eventId: string) => (await ok(BY_EVENT, { e: eventId })).deliveries.edges[0]?.node;
  /** The delivery of `eventId` once it is SUCCEEDED or FAILED. */
  const settled = (eventId: string, timeoutMs = 10_000) =>
    pollUntil(() => delivery(eventId), { until: (d) => d?.status === 'SUCCEEDED' || d?.status === 'FAILED', timeoutMs, what: `delivery of ${eventId} settled` });
  const webhookState = async () => (await ok(WEBHOOK, { id: webhookId })).webhook;
  return { rx, ok, webhookId, publish, delivery, settled, webhookState };
}

const ms = (iso: string) => Date.parse(iso);

describe('retries, timeouts and failure handling (mysql)', () => {
  const SCHEDULE = [200, 400, 600, 800];
  let h: TestHookline;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_RETRY_SCHEDULE: SCHEDULE.map((n) => `${n}ms`).join(','), HOOKLINE_POLL_INTERVAL_MS: '50' } });
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('a 500 then a 200 ends SUCCEEDED after 2 attempts, the retry coming schedule[0] (±10 %) after the first', async () => {
    const t = await tenant(h, receivers);
    t.rx.respond({ status: 500 });
    const d = await t.settled(await t.publish());
    expect(d).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2, lastResponseStatus: 200, lastError: null });
    expect(d.attempts.map((a: any) => a.responseStatus)).toEqual([500, 200]);
    const [a1, a2] = d.attempts;
    // The planned wait, from the end of attempt 1 to its nextAttemptAt, is the jittered schedule.
    const planned = ms(a1.nextAttemptAt) - (ms(a1.startedAt) + a1.durationMs);
    expect(planned).toBeGreaterThanOrEqual(SCHEDULE[0] * 0.9 - 2);
    expect(planned).toBeLessThanOrEqual(SCHEDULE[0] * 1.1 + 20);
    // And the retry really went out then: not early, and late only by scheduling slack.
    expect(ms(a2.startedAt)).toBeGreaterThanOrEqual(ms(a1.nextAttemptAt) - 2);
    expect(ms(a2.startedAt) - ms(a1.nextAttemptAt)).toBeLessThan(400);
    const [r1, r2] = t.rx.requests;
    expect(r2.at - r1.at).toBeGreaterThanOrEqual(SCHEDULE[0] * 0.9);
  });

  it('a receiver that always answers 500 with maxRetries 2 gets exactly 3 attempts, and the FAILED delivery stays queryable with them', async () => {
    const t = await tenant(h, receivers, { maxRetries: 2 });
    t.rx.setFallback({ status: 500, body: 'boom' });
    const eventId = await t.publish();
    const d = await t.settled(eventId);
    expect(d).toMatchObject({ status: 'FAILED', attemptCount: 3, nextAttemptAt: null, lastResponseStatus: 500 });
    expect(d.attempts.map((a: any) => [a.number, a.responseStatus, a.errorKind])).toEqual([
      [1, 500, 'HTTP_STATUS'],
      [2, 500, 'HTTP_STATUS'],
      [3, 500, 'HTTP_STATUS'],
    ]);
    expect(d.attempts[2].nextAttemptAt).toBeNull();
    // Longer than the next scheduled delay would be: no 4th attempt comes.
    await expect(t.rx.waitForRequests(4, 1_500)).rejects.toThrow(/got 3/);
    const again = await t.ok(`query($id: ID!) { delivery(id: $id) { ${DELIVERY} } }`, { id: d.id });
    expect(again.delivery).toEqual(d);
    const failed = await t.ok(`query($w: ID!) { deliveries(webhookId: $w, status: FAILED) { edges { node { id } } } }`, { w: t.webhookId });
    expect(failed.deliveries.edges.map((e: any) => e.node.id)).toEqual([d.id]);
  });

  it('slow response headers and a body trickling past timeoutSeconds both end the attempt as TIMEOUT', async () => {
    const slow = await tenant(h, receivers, { timeoutSeconds: 5, maxRetries: 1 });
    slow.rx.respond({ status: 200, delayMs: 6_000 });
    const trickle = await tenant(h, receivers, { timeoutSeconds: 5, maxRetries: 0 });
    // 40 bytes at 200 ms each: headers at once, the body would take 8 s.
    trickle.rx.respond({ status: 200, body: 'x'.repeat(40), trickleMs: 200 });
    const [s, tr] = await Promise.all([slow.settled(await slow.publish(), 15_000), trickle.settled(await trickle.publish(), 15_000)]);

    expect(s).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2 });
    expect(s.attempts[0]).toMatchObject({ errorKind: 'TIMEOUT', responseStatus: null });
    expect(s.attempts[1]).toMatchObject({ errorKind: null, responseStatus: 200 });

    expect(tr).toMatchObject({ status: 'FAILED', attemptCount: 1 });
    expect(tr.attempts[0]).toMatchObject({ errorKind: 'TIMEOUT', responseStatus: 200 });
    for (const a of [s.attempts[0], tr.attempts[0]]) {
      expect(a.durationMs).toBeGreaterThanOrEqual(4_900);
      expect(a.durationMs).toBeLessThan(5_800);
    }
  }, 25_000);

  it('a 302 is a failure (HTTP_STATUS) and its Location is never requested', async () => {
    const elsewhere = await startReceiver();
    receivers.push(elsewhere);
    const t = await tenant(h, receivers, { maxRetries: 0 });
    t.rx.respond({ status: 302, headers: { location: `${elsewhere.url}/stolen` } });
    const d = await t.settled(await t.publish());
    expect(d).toMatchObject({ status: 'FAILED', attemptCount: 1, lastResponseStatus: 302 });
    expect(d.attempts[0]).toMatchObject({ responseStatus: 302, errorKind: 'HTTP_STATUS' });
    expect(elsewhere.requests).toHaveLength(0);
    expect(t.rx.requests).toHaveLength(1);
  });

  it('410 Gone fails the delivery at once, AUTO_DISABLES the webhook with a reason, and later events create no delivery for it', async () => {
    const t = await tenant(h, receivers, { maxRetries: 4 });
    t.rx.setFallback({ status: 410 });
    const d = await t.settled(await t.publish());
    expect(d).toMatchObject({ status: 'FAILED', attemptCount: 1, lastResponseStatus: 410 });
    const w = await t.webhookState();
    expect(w.status).toBe('AUTO_DISABLED');
    expect(w.disabledReason).toMatch(/410/);
    const later = await t.publish();
    expect((await t.ok(EVENT_TARGETS, { id: later })).event.deliveries).toEqual([]);
    expect(t.rx.requests).toHaveLength(1);
  });

  it('429 with Retry-After: 2 holds the next attempt back at least 2 s, well past the 200 ms schedule', async () => {
    const t = await tenant(h, receivers, { maxRetries: 2 });
    t.rx.respond({ status: 429, headers: { 'retry-after': '2' } });
    const d = await t.settled(await t.publish());
    expect(d).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2 });
    expect(d.attempts.map((a: any) => a.responseStatus)).toEqual([429, 200]);
    expect(ms(d.attempts[0].nextAttemptAt) - ms(d.attempts[0].startedAt)).toBeGreaterThanOrEqual(2_000);
    const [r1, r2] = t.rx.requests;
    expect(r2.at - r1.at).toBeGreaterThanOrEqual(2_000);
  });

  it('every attempt row keeps number, trigger, startedAt, durationMs, status, the first 4096 bytes of the body and the error kind', async () => {
    const t = await tenant(h, receivers);
    t.rx.respond({ status: 500, body: 'a'.repeat(10_240) });
    t.rx.setFallback({ status: 200, body: 'thanks' });
    const before = Date.now();
    const d = await t.settled(await t.publish());
    const after = Date.now();
    expect(d.status).toBe('SUCCEEDED');
    const [a1, a2] = d.attempts;
    expect(a1).toMatchObject({ number: 1, trigger: 'SCHEDULED', responseStatus: 500, errorKind: 'HTTP_STATUS' });
    expect(a1.responseBody).toBe('a'.repeat(4_096));
    expect(a2).toMatchObject({ number: 2, trigger: 'SCHEDULED', responseStatus: 200, responseBody: 'thanks', errorKind: null, error: null, nextAttemptAt: null });
    for (const a of d.attempts) {
      expect(ms(a.startedAt)).toBeGreaterThanOrEqual(before - 5);
      expect(ms(a.startedAt)).toBeLessThanOrEqual(after);
      expect(Number.isInteger(a.durationMs) && a.durationMs >= 0).toBe(true);
    }
  });
});

describe('auto-disable after a failure streak (mysql)', () => {
  /** HOOKLINE_AUTO_DISABLE_AFTER_HOURS 0.0001 h, in ms. */
  const WINDOW_MS = 360;
  let h: TestHookline;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    h = await startHookline({
      env: { HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_POLL_INTERVAL_MS: '50', HOOKLINE_AUTO_DISABLE_AFTER_HOURS: '0.0001', HOOKLINE_AUTO_DISABLE_MIN_FAILURES: '3' },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  /** Waits until the auto-disable window has passed since `sinceMs` (the clock is what we wait on here). */
  const windowPassed = (sinceMs: number) => pollUntil(() => Date.now() > sinceMs + WINDOW_MS + 50, { what: 'the auto-disable window to pass' });

  it('a webhook failing every delivery for the whole window, at least 3 times, becomes AUTO_DISABLED with a reason', async () => {
    const t = await tenant(h, receivers, { maxRetries: 0 });
    t.rx.setFallback({ status: 500 });
    const first = await t.settled(await t.publish());
    expect(first.status).toBe('FAILED');
    expect((await t.settled(await t.publish())).status).toBe('FAILED');
    await windowPassed(ms(first.attempts[0].startedAt));
    // The window has passed but only 2 deliveries failed: below the minimum count.
    expect((await t.webhookState()).status).toBe('ACTIVE');
    expect((await t.settled(await t.publish())).status).toBe('FAILED');
    const w = await t.webhookState();
    expect(w.status).toBe('AUTO_DISABLED');
    expect(w.disabledReason).toBeTruthy();
    const later = await t.publish();
    expect((await t.ok(EVENT_TARGETS, { id: later })).event.deliveries).toEqual([]);
  });

  it('the auto-disable reason states the real window and count, also for a window under an hour', async () => {
    const t = await tenant(h, receivers, { maxRetries: 0 });
    t.rx.setFallback({ status: 500 });
    const first = await t.settled(await t.publish());
    await t.settled(await t.publish());
    await windowPassed(ms(first.attempts[0].startedAt));
    await t.settled(await t.publish());
    const w = await t.webhookState();
    expect(w.status).toBe('AUTO_DISABLED');
    expect(w.disabledReason).toMatch(/at least 3 deliveries/);
    // 0.0001 h is 0.36 s: "failed for 0 h" would misstate it.
    expect(w.disabledReason).not.toMatch(/\b0 h\b/);
  });

  it('a success in between resets the streak', async () => {
    const t = await tenant(h, receivers, { maxRetries: 0 });
    t.rx.respond({ status: 500 }, { status: 500 }, { status: 200 });
    t.rx.setFallback({ status: 500 });
    const first = await t.settled(await t.publish());
    expect(first.status).toBe('FAILED');
    expect((await t.settled(await t.publish())).status).toBe('FAILED');
    await windowPassed(ms(first.attempts[0].startedAt));
    expect((await t.settled(await t.publish())).status).toBe('SUCCEEDED');
    const restart = await t.settled(await t.publish());
    expect(restart.status).toBe('FAILED');
    expect((await t.settled(await t.publish())).status).toBe('FAILED');
    // Without the reset this would be 4 failures spanning the window.
    expect((await t.webhookState()).status).toBe('ACTIVE');
    await windowPassed(ms(restart.attempts[0].startedAt));
    expect((await t.settled(await t.publish())).status).toBe('FAILED');
    expect((await t.webhookState()).status).toBe('AUTO_DISABLED');
  });
});
