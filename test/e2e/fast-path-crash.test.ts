import { spawnHookline, waitFor } from '../helpers/child';
import { gqlOk } from '../helpers/graphql-client';
import { crashScene } from '../helpers/crash-scene';

const EVENTS = 200;
const LEASE_MS = 2_000;

/**
 * The publisher's fast path: fresh deliveries are inserted already leased to the publishing process
 * and sent without a claim. Killed (SIGKILL) while it holds such deliveries, a restarted process must
 * still deliver every acknowledged event: the leases run out and the rows are claimed again.
 */
describe('fast path after kill -9 (MariaDB, separate process)', () => {
  const scene = crashScene();

  it('acknowledgedEventsHandedToTheDeadPublisherAreDeliveredAfterRestart', async () => {
    const { db, rx } = scene;
    const env = {
      DATABASE_URL: db.url,
      HOOKLINE_ROLE: 'all',
      LOG_LEVEL: 'warn',
      HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
      HOOKLINE_LEASE_MS: String(LEASE_MS),
      // No poll would find the rows in time: only the publish hand-over can have taken them.
      HOOKLINE_POLL_INTERVAL_MS: '600000',
    };
    const first = await spawnHookline(env);
    const token = first.printedApiKey!;
    await gqlOk(first.url, token, `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`, {
      i: { name: 'rx', url: `${rx.url}/hook`, events: ['call.failed'] },
    });
    // The receiver sits on every request, so what the publisher took stays in its hands.
    rx.setFallback({ status: 200, delayMs: 60_000 });
    const published = await gqlOk(first.url, token, `mutation($in: [PublishEventInput!]!) { publishEvents(inputs: $in) { id } }`, {
      in: Array.from({ length: EVENTS }, (_, i) => ({ type: 'call.failed', payload: { call_id: `c-${i}` } })),
    });
    const acked = new Set<string>(published.publishEvents.map((e: { id: string }) => e.id));
    expect(acked.size).toBe(EVENTS);
    await waitFor('the first requests to reach the receiver', async () => rx.requests.length > 0, { timeoutMs: 10_000, intervalMs: 20 });

    const ds = await scene.reader();
    // Inserted in flight and never updated since: handed over at publish, not claimed.
    const [handed] = await ds.query(`SELECT COUNT(*) AS n FROM deliveries WHERE status = 'IN_FLIGHT' AND lease_token IS NOT NULL AND updated_at = created_at`);
    expect(Number(handed.n)).toBeGreaterThan(0);
    await first.kill('SIGKILL');

    rx.setFallback({ status: 200 });
    const second = await spawnHookline({ ...env, HOOKLINE_POLL_INTERVAL_MS: '200' });
    await waitFor(`all ${EVENTS} deliveries to succeed`, async () => Number((await ds.query(`SELECT COUNT(*) AS n FROM deliveries WHERE status = 'SUCCEEDED'`))[0].n) === EVENTS, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    // Every acknowledged event reached the receiver (at least once; the dead process's sends may count twice).
    const seen = new Set(rx.requests.map((r) => r.headers['webhook-id']));
    expect([...acked].filter((id) => !seen.has(id))).toEqual([]);
    const [rows] = await ds.query(`SELECT COUNT(*) AS n, SUM(lease_token IS NOT NULL) AS leased FROM deliveries`);
    expect({ n: Number(rows.n), leased: Number(rows.leased) }).toEqual({ n: EVENTS, leased: 0 });
    await expect(second.kill('SIGTERM')).resolves.toMatchObject({ code: 0 });
  }, 120_000);
});
