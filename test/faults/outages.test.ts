import mysql from 'mysql2/promise';
import { ensureBuilt, HooklineChild, killAllChildren, spawnHookline, waitFor } from '../helpers/child';
import { gqlOk, postGraphQL } from '../helpers/graphql-client';
import { PrivateServer, startPrivateMariadb, startPrivateRedis } from '../helpers/private-services';
import { Receiver, startReceiver } from '../helpers/receiver';

/** Length of the database outage (ms): the 60 s. */
const DB_OUTAGE_MS = 60_000;
/** Length of the Redis outage (ms). */
const REDIS_OUTAGE_MS = 5_000;
/** Lease of the child's workers (ms): longer than the outage, short enough for the test to see a lapsed one. */
const LEASE_MS = 75_000;
const PUBLISH = 'mutation($n: Int!) { publishEvent(input: { type: "call.failed", payload: { n: $n } }) { id } }';
const PUBLISH_MANY = 'mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }';
/** Events of the batch that is on the wire when the database stops. */
const BATCH = 200;

interface Call {
  startedAt: number;
  ms: number;
  status: number;
  code?: string;
  retryAfter?: string | null;
  /** The event id when the API acknowledged the event. */
  id?: string;
}

/** Publishes one event at a time, as fast as answers come (and at most every 20 ms), recording every answer. */
function startLoad(url: string, token: string) {
  const calls: Call[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let n = 0; !stopped; n++) {
      const startedAt = Date.now();
      let call: Call;
      try {
        const r = await postGraphQL(url, PUBLISH, { n }, { token });
        call = { startedAt, ms: Date.now() - startedAt, status: r.status, code: r.errors?.[0]?.extensions?.code, retryAfter: r.headers.get('retry-after'), id: r.errors ? undefined : r.data?.publishEvent.id };
      } catch {
        call = { startedAt, ms: Date.now() - startedAt, status: 0 };
      }
      calls.push(call);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20 - call.ms)));
    }
  })();
  return {
    calls,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hookline under load while its own private MariaDB and Redis are stopped and started: 5 s without
 * Redis, then 60 s without the database. Run alone with `npm run test:faults`.
 */
describe('outages under load (private MariaDB and Redis)', () => {
  let db: PrivateServer | undefined;
  let redis: PrivateServer | undefined;
  let rx: Receiver | undefined;
  let child: HooklineChild;
  let calls: Call[] = [];
  const marks: Record<string, number> = {};
  let readyDuringOutage = 0;
  let readyBefore = 0;
  let rows: { status: string; n: number; lapsed: number }[] = [];
  let batchIds: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    [db, redis, rx] = await Promise.all([startPrivateMariadb(), startPrivateRedis(), startReceiver({ fallback: { status: 200, body: '{}', delayMs: 50 } })]);
    child = await spawnHookline({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
      HOOKLINE_LEASE_MS: String(LEASE_MS),
      HOOKLINE_POLL_INTERVAL_MS: '200',
      HOOKLINE_RETRY_SCHEDULE: '1s,2s',
    });
    const token = child.printedApiKey!;
    await gqlOk(child.url, token, 'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }', {
      i: { name: 'faults', url: `${rx.url}/hook`, events: ['call.failed'] },
    });
    const load = startLoad(child.url, token);
    calls = load.calls;
    await sleep(3_000);

    marks.redisDown = Date.now();
    await redis.stop();
    await sleep(REDIS_OUTAGE_MS);
    await redis.start();
    marks.redisUp = Date.now();
    await sleep(2_000);

    readyBefore = (await fetch(`${child.url}/readyz`)).status;
    // The database stops while a batch is being sent: the receiver answers only after 1.5 s, so the
    // results of the attempts on the wire come back during the outage and must be kept, not re-sent.
    rx.setFallback({ status: 200, body: '{}', delayMs: 1_500 });
    const seenBefore = rx.requests.length;
    const batch = await gqlOk(child.url, token, PUBLISH_MANY, { inputs: Array.from({ length: BATCH }, (_, n) => ({ type: 'call.failed', payload: { batch: n } })) });
    batchIds = batch.publishEvents.map((e: { id: string }) => e.id);
    await waitFor('the batch on the wire', async () => rx!.requests.length > seenBefore, { timeoutMs: 10_000, intervalMs: 10 });
    await db.stop();
    marks.dbDown = Date.now();
    await sleep(1_000);
    readyDuringOutage = (await fetch(`${child.url}/readyz`)).status;
    await sleep(DB_OUTAGE_MS - 1_000);
    marks.dbStarting = Date.now();
    await db.start();
    marks.dbUp = Date.now();
    rx.setFallback({ status: 200, body: '{}', delayMs: 50 });
    await waitFor('/readyz green again', async () => (await fetch(`${child.url}/readyz`)).status === 200, { timeoutMs: 30_000 });
    marks.readyAgain = Date.now();
    await sleep(3_000);
    await load.stop();

    // Everything committed is finished: no delivery left PENDING or IN_FLIGHT (a dropped result shows
    // here as a row stuck IN_FLIGHT until its lease lapses, then sent again).
    const conn = await mysql.createConnection(db.url);
    try {
      await waitFor(
        'every delivery SUCCEEDED',
        async () => {
          [rows] = (await conn.query("SELECT status, COUNT(*) AS n, SUM(status = 'IN_FLIGHT' AND locked_until < NOW(3)) AS lapsed FROM deliveries GROUP BY status")) as any;
          return rows.every((r) => r.status === 'SUCCEEDED');
        },
        { timeoutMs: LEASE_MS + 60_000, intervalMs: 500 },
      );
    } finally {
      await conn.end();
    }
    const during = calls.filter((c) => c.startedAt > marks.dbDown && c.startedAt + c.ms < marks.dbStarting);
    const ids = rx.requests.map((r) => r.headers['webhook-id']);
    // One line of figures for the record (README / notes), whatever the assertions below decide.
    process.stdout.write(
      `${JSON.stringify({
        metric: 'faults',
        acknowledged: calls.filter((c) => c.id).length + batchIds.length,
        refusedDuringDbOutage: during.length,
        slowestRefusalMs: Math.max(0, ...during.map((c) => c.ms)),
        readyAgainAfterDbUpMs: marks.readyAgain - marks.dbUp,
        delivered: ids.length,
        duplicates: ids.length - new Set(ids).size,
      })}\n`,
    );
  }, 300_000);

  afterAll(async () => {
    await killAllChildren();
    await Promise.all([db?.dispose(), redis?.dispose(), rx?.close()]);
  }, 60_000);

  const acknowledged = () => [...calls.filter((c) => c.id).map((c) => c.id!), ...batchIds];
  const deliveredIds = () => rx!.requests.map((r) => r.headers['webhook-id']);

  it('loses no acknowledged event: every one reaches the receiver', () => {
    const delivered = new Set(deliveredIds());
    expect(acknowledged().length).toBeGreaterThan(BATCH + 20);
    expect(acknowledged().filter((id) => !delivered.has(id))).toEqual([]);
    // The API kept acknowledging while Redis was down (webhooks do not need it).
    expect(calls.filter((c) => c.id && c.startedAt > marks.redisDown + 500 && c.startedAt < marks.redisUp - 500).length).toBeGreaterThan(0);
  });

  it('answers SERVICE_UNAVAILABLE (503, Retry-After) within 1 s throughout the database outage, never INTERNAL_SERVER_ERROR', () => {
    const during = calls.filter((c) => c.startedAt > marks.dbDown && c.startedAt + c.ms < marks.dbStarting);
    expect(during.length).toBeGreaterThan(10);
    expect(during.filter((c) => c.status !== 503 || c.code !== 'SERVICE_UNAVAILABLE' || !c.retryAfter)).toEqual([]);
    expect(Math.max(...during.map((c) => c.ms))).toBeLessThan(1_000);
    expect(calls.some((c) => c.code === 'INTERNAL_SERVER_ERROR')).toBe(false);
    expect(child.output()).not.toContain('unhandled http error');
  });

  it('/readyz goes red during the database outage and green after it', () => {
    expect(readyBefore).toBe(200);
    expect(readyDuringOutage).toBe(503);
    expect(marks.readyAgain - marks.dbUp).toBeLessThan(10_000);
  });

  it('leaves nothing IN_FLIGHT past its lease', () => {
    expect(rows.reduce((a, r) => a + Number(r.lapsed ?? 0), 0)).toBe(0);
    expect(rows.filter((r) => r.status === 'IN_FLIGHT')).toEqual([]);
  });

  it('sends nothing twice after a 60 s database outage (0 duplicates)', () => {
    const seen = new Map<string, number>();
    for (const id of deliveredIds()) seen.set(id, (seen.get(id) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  });
});
