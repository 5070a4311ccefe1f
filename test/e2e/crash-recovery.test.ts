import { HooklineChild, spawnHookline, waitFor } from '../helpers/child';
import { gqlOk, postGraphQL } from '../helpers/graphql-client';
import { crashScene } from '../helpers/crash-scene';

const EVENTS = 5_000;
const BATCH = 250;
const WEBHOOKS = 2;
const KILLS = 4;
const LEASE_MS = 3_000;

const randInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** What the test saw at one SIGKILL, for the failure message. */
interface Kill {
  pid: number;
  ackedBatches: number;
  received: number;
  inFlightRows: number;
}

/**
 * The outbox and the lease, end to end: a Hookline process is SIGKILLed again and again while
 * events are published and delivered; after it comes back, nothing acknowledged is lost or
 * duplicated and every event reaches every webhook at least once.
 */
describe('crash recovery (MariaDB, separate process)', () => {
  const scene = crashScene();

  it('acknowledgedEventsSurviveRepeatedSigkillAndReachEveryWebhook', async () => {
    const { db, rx } = scene;
    const env = {
      DATABASE_URL: db.url,
      HOOKLINE_ROLE: 'all',
      LOG_LEVEL: 'warn',
      HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
      HOOKLINE_LEASE_MS: String(LEASE_MS),
      HOOKLINE_POLL_INTERVAL_MS: '200',
      HOOKLINE_RETRY_SCHEDULE: '200ms',
      HOOKLINE_PER_WEBHOOK_CONCURRENCY: '32',
    };
    const first = await spawnHookline(env);
    const token = first.printedApiKey!;
    expect(token).toMatch(/^hk_live_/);
    const paths = Array.from({ length: WEBHOOKS }, (_, i) => `/wh/${i}`);
    for (const p of paths) {
      await gqlOk(first.url, token, `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`, {
        i: { name: p, url: `${rx.url}${p}`, events: ['call.failed'] },
      });
    }
    const db_ = await scene.reader();
    const count = async (where: string): Promise<number> => Number((await db_.query(`SELECT COUNT(*) AS n FROM deliveries WHERE ${where}`))[0].n);

    // The supervisor: `current` is replaced before each kill, so whoever sees the old child die
    // already holds the promise of the next one.
    let current: Promise<HooklineChild> = Promise.resolve(first);
    const kills: Kill[] = [];
    let ackedBatches = 0;
    let publishing = true;
    const batches = EVENTS / BATCH;

    const killer = (async () => {
      for (let k = 0; k < KILLS; k++) {
        const child = await current;
        if (k < 2 && publishing) {
          // Mid-publish: right after some batches were acknowledged, often while the next is in flight.
          const target = Math.min(batches, ackedBatches + randInt(1, 4));
          await waitFor('publishing progress', async () => ackedBatches >= target || !publishing, { timeoutMs: 60_000, intervalMs: 5 });
        } else {
          // Mid-delivery: after some more requests reached the receiver (or when it has gone quiet).
          const target = rx.requests.length + randInt(500, 2_500);
          await waitFor('delivery progress', async () => rx.requests.length >= target, { timeoutMs: 10_000, intervalMs: 5 }).catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, randInt(0, 60)));
        const next = (async () => {
          await child.kill('SIGKILL');
          kills.push({ pid: child.pid, ackedBatches, received: rx.requests.length, inFlightRows: await count(`status = 'IN_FLIGHT'`) });
          return spawnHookline(env);
        })();
        current = next;
        await next;
      }
    })();

    // The producer: a batch that failed because the process died is sent again with the same
    // idempotency keys, until it is acknowledged.
    const acked = new Map<string, string>();
    for (let b = 0; b < batches; b++) {
      const inputs = Array.from({ length: BATCH }, (_, i) => ({
        type: 'call.failed',
        idempotencyKey: `crash-${b}-${i}`,
        payload: { call_id: `c-${b}-${i}`, disposition: 'no_answer' },
      }));
      for (let tries = 1; ; tries++) {
        const child = await current;
        try {
          const r = await postGraphQL(child.url, `mutation($in: [PublishEventInput!]!) { publishEvents(inputs: $in) { id idempotencyKey } }`, { in: inputs }, { token });
          if (r.errors?.length || !r.data) throw new Error(`publishEvents answered errors: ${JSON.stringify(r.errors)}`);
          for (const e of r.data.publishEvents as { id: string; idempotencyKey: string }[]) acked.set(e.idempotencyKey, e.id);
          ackedBatches++;
          break;
        } catch (e) {
          if ((e as Error).message.startsWith('publishEvents answered') || tries >= 20) throw e;
          // Connection refused or reset: the supervisor is already bringing up the next process.
          if ((await current) === child) await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    publishing = false;
    await killer;
    const last = await current;

    const total = EVENTS * WEBHOOKS;
    await waitFor(`all ${total} deliveries to succeed`, async () => (await count(`status = 'SUCCEEDED'`)) === total, { timeoutMs: 90_000, intervalMs: 250 }).catch(async (e) => {
      const states = await db_.query(`SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status`);
      throw new Error(`${(e as Error).message}\nstates: ${JSON.stringify(states)}\nkills: ${JSON.stringify(kills)}\nlast child output:\n${last.output()}`);
    });

    // The kills landed where they should: during publishing and with leases held.
    expect(kills).toHaveLength(KILLS);
    expect(kills.some((k) => k.ackedBatches < batches)).toBe(true);
    expect(kills.some((k) => k.inFlightRows > 0)).toBe(true);

    // Exactly the acknowledged events, once each.
    expect(acked.size).toBe(EVENTS);
    const events: { id: string; idempotency_key: string }[] = await db_.query('SELECT id, idempotency_key FROM events');
    expect(events).toHaveLength(EVENTS);
    expect(new Map(events.map((e) => [e.idempotency_key, e.id]))).toEqual(acked);

    // One delivery per event and webhook, all done, none holding a lease.
    const [rows] = await db_.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT event_id, webhook_id) AS pairs, SUM(lease_token IS NOT NULL OR locked_until IS NOT NULL) AS leased FROM deliveries`);
    expect({ n: Number(rows.n), pairs: Number(rows.pairs), leased: Number(rows.leased) }).toEqual({ n: total, pairs: total, leased: 0 });

    // Every event reached every webhook at least once (at-least-once: a duplicate is allowed, a gap is not).
    const seen = new Set(rx.requests.map((r) => `${r.headers['webhook-id']} ${r.path}`));
    const expected = new Set([...acked.values()].flatMap((id) => paths.map((p) => `${id} ${p}`)));
    expect(seen.size).toBe(total);
    expect([...expected].filter((k) => !seen.has(k))).toEqual([]);

    await expect(last.kill('SIGTERM')).resolves.toMatchObject({ code: 0 });
  }, 240_000);
});
