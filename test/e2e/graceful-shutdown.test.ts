import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { ensureBuilt, HooklineChild, killAllChildren, spawnHookline, waitFor } from '../helpers/child';
import { createTestDatabase } from '../helpers/db';
import { gqlOk } from '../helpers/graphql-client';
import { startReceiver, Receiver } from '../helpers/receiver';

/** Margin on top of the grace period for closing HTTP and the database and exiting (ms). */
const EXIT_MARGIN_MS = 3_000;

interface Setup {
  child: HooklineChild;
  env: Record<string, string>;
  ds: DataSource;
  rx: Receiver;
  token: string;
}

interface DeliveryRow {
  id: string;
  status: string;
  attempt_count: number;
  lease_token: string | null;
  locked_until: Date | null;
  next_attempt_at: Date | null;
}

/**
 * SIGTERM on a busy worker: attempts already on the wire finish and are recorded; nothing new is
 * claimed; what cannot finish within HOOKLINE_SHUTDOWN_GRACE_MS is handed back, never left leased.
 */
describe('graceful shutdown (MariaDB, separate process)', () => {
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(async () => {
    await killAllChildren();
    for (const c of cleanups.reverse()) await c();
  });

  /** A Hookline child on a fresh database with one webhook pointing at a receiver that answers after `answerAfterMs`. */
  async function setup(answerAfterMs: number, graceMs: number): Promise<Setup> {
    const db = await createTestDatabase('mysql');
    cleanups.push(() => db.drop());
    const rx = await startReceiver({ fallback: { status: 200, body: '{}', delayMs: answerAfterMs } });
    cleanups.push(() => rx.close());
    const env = {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
      HOOKLINE_WORKER_CONCURRENCY: '4',
      HOOKLINE_PER_WEBHOOK_CONCURRENCY: '4',
      HOOKLINE_SHUTDOWN_GRACE_MS: String(graceMs),
      // Far longer than the test: a row left IN_FLIGHT would stay visibly stuck.
      HOOKLINE_LEASE_MS: '600000',
      HOOKLINE_POLL_INTERVAL_MS: '200',
    };
    const child = await spawnHookline(env);
    const token = child.printedApiKey!;
    expect(token).toMatch(/^hk_live_/);
    await gqlOk(child.url, token, `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`, {
      i: { name: 'slow', url: `${rx.url}/slow`, events: ['call.failed'], timeoutSeconds: 30 },
    });
    const ds = await openDatabase({ type: 'mysql', url: db.url }, { migrate: false, poolSize: 2 });
    cleanups.push(() => ds.destroy());
    return { child, env, ds, rx, token };
  }

  async function publish(s: Setup, n: number): Promise<void> {
    const inputs = Array.from({ length: n }, (_, i) => ({ type: 'call.failed', payload: { call_id: `c${i}`, disposition: 'busy' } }));
    await gqlOk(s.child.url, s.token, `mutation($in: [PublishEventInput!]!) { publishEvents(inputs: $in) { id } }`, { in: inputs });
  }

  const deliveries = (ds: DataSource): Promise<DeliveryRow[]> =>
    ds.query('SELECT id, status, attempt_count, lease_token, locked_until, next_attempt_at FROM deliveries ORDER BY id');

  /** Sends SIGTERM and resolves with how long the process took to exit (ms); rejects past the deadline. */
  async function terminate(child: HooklineChild, deadlineMs: number): Promise<{ code: number | null; tookMs: number; at: number }> {
    const sent = Date.now();
    const exit = await child.kill('SIGTERM', deadlineMs);
    return { code: exit.code, tookMs: exit.at - sent, at: exit.at };
  }

  it('sigtermFinishesInFlightAttemptsAndLeavesTheRestPending', async () => {
    const graceMs = 5_000;
    const s = await setup(1_500, graceMs);
    await publish(s, 12);
    const onTheWire = await s.rx.waitForRequests(4, 10_000);
    // All 12 may be claimed (the worker claims a batch ahead), but only 4 are being sent.
    expect((await deliveries(s.ds)).filter((d) => d.status === 'IN_FLIGHT').length).toBeGreaterThanOrEqual(4);
    expect(s.rx.requests).toHaveLength(4);

    const exit = await terminate(s.child, graceMs + EXIT_MARGIN_MS);
    expect(exit.code).toBe(0);
    // It waited for the receiver's answers rather than abandoning the attempts.
    expect(exit.at).toBeGreaterThanOrEqual(Math.max(...onTheWire.map((r) => r.at)) + 1_500 - 50);
    // Nothing waiting for a send slot was sent after SIGTERM.
    expect(s.rx.requests).toHaveLength(4);

    const sent = new Set(onTheWire.map((r) => r.headers['x-hookline-delivery']));
    const rows = await deliveries(s.ds);
    expect(rows).toHaveLength(12);
    for (const d of rows) {
      const expected = sent.has(d.id)
        ? { status: 'SUCCEEDED', attempt_count: 1, lease_token: null, locked_until: null }
        : { status: 'PENDING', attempt_count: 0, lease_token: null, locked_until: null };
      expect({ id: d.id, status: d.status, attempt_count: d.attempt_count, lease_token: d.lease_token, locked_until: d.locked_until }).toEqual({ id: d.id, ...expected });
    }
    const attempts: { delivery_id: string; response_status: number }[] = await s.ds.query('SELECT delivery_id, response_status FROM delivery_attempts');
    expect(attempts.map((a) => a.delivery_id).sort()).toEqual([...sent].sort());
    expect(attempts.every((a) => a.response_status === 200)).toBe(true);
  }, 60_000);

  it('sigtermHandsBackAttemptsThatOutliveTheGrace', async () => {
    const graceMs = 1_000;
    const s = await setup(20_000, graceMs);
    await publish(s, 6);
    const onTheWire = await s.rx.waitForRequests(4, 10_000);

    const exit = await terminate(s.child, graceMs + EXIT_MARGIN_MS);
    expect(exit.code).toBe(0);
    expect(exit.tookMs).toBeLessThan(graceMs + EXIT_MARGIN_MS);

    // The four unanswered attempts were handed back: PENDING, due now, no lease; no attempt recorded.
    const rows = await deliveries(s.ds);
    expect(rows).toHaveLength(6);
    for (const d of rows) {
      expect({ id: d.id, status: d.status, attempt_count: d.attempt_count, lease_token: d.lease_token, locked_until: d.locked_until }).toEqual({
        id: d.id,
        status: 'PENDING',
        attempt_count: 0,
        lease_token: null,
        locked_until: null,
      });
      expect(d.next_attempt_at!.getTime()).toBeLessThanOrEqual(Date.now());
    }
    const handedBack = new Set(onTheWire.map((r) => r.headers['x-hookline-delivery']));
    expect(handedBack.size).toBe(4);

    // The next process picks them up at once, with no lease to wait out.
    s.rx.setFallback({ status: 200, body: '{}' });
    const next = await spawnHookline(s.env);
    await waitFor('every delivery to succeed after the restart', async () => (await deliveries(s.ds)).every((d) => d.status === 'SUCCEEDED'), { timeoutMs: 15_000 });
    await expect(terminate(next, graceMs + EXIT_MARGIN_MS)).resolves.toMatchObject({ code: 0 });
  }, 90_000);
});
