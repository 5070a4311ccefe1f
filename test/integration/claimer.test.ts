import type { DataSource, EntityManager } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { DeliveryEntity, EventEntity } from '../../src/db/entities';
import { Outbox } from '../../src/outbox/outbox';
import type { AttemptRecord, ClaimedDelivery } from '../../src/outbox/types';
import { newId } from '../../src/domain/ids';
import { DELIVERY_COLUMNS, newDelivery } from '../../src/db/rows';
import { insertRows } from '../../src/db/sql';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { waitFor, withDeadline } from '../helpers/child';

/**
 * Holds back the answer to the first `SKIP LOCKED` select sent on `ds`'s one pooled connection (the
 * claim sends its statements straight to mysql2), as a claimer stalled between its select and its
 * update would be; `release()` lets it through.
 */
async function stallAfterSkipLockedSelect(ds: DataSource): Promise<{ selected: Promise<void>; release: () => void }> {
  let reached!: () => void;
  let release!: () => void;
  const selected = new Promise<void>((r) => (reached = r));
  const gate = new Promise<void>((r) => (release = r));
  type Callback = (err: Error | null, result: unknown) => void;
  const qr = ds.createQueryRunner();
  const conn = (await qr.connect()) as { query: (sql: string, values: unknown, cb: Callback) => unknown };
  await qr.release();
  const query = conn.query;
  conn.query = function (this: unknown, sql: string, values: unknown, cb: Callback) {
    if (typeof cb !== 'function' || !/SKIP LOCKED/i.test(sql)) return query.call(this, sql, values, cb);
    return query.call(this, sql, values, (err, result) => {
      reached();
      void gate.then(() => cb(err, result));
    });
  };
  return { selected, release };
}

/** The claimer's promises on real MariaDB: SKIP LOCKED claims never overlap, leases fence every write. */
describe('delivery claimer on MariaDB', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repo: Outbox;
  const extra: DataSource[] = [];
  const accountId = newId();
  const opts = { autoDisableAfterMs: 0, autoDisableMinFailures: 20 };

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    ds = await openDatabase({ type: 'mysql', url: db.url }, { poolSize: 4 });
    repo = new Outbox(ds);
  });
  afterAll(async () => {
    await Promise.all(extra.map((d) => d.destroy()));
    await ds?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    await ds.query('DELETE FROM delivery_attempts');
    await ds.query('DELETE FROM deliveries');
    await ds.query('DELETE FROM events');
  });

  /** One event and `n` deliveries of it, inserted as the publisher would, due `dueAt`. */
  async function insertDeliveries(n: number, patch: Partial<DeliveryEntity> = {}, dueAt = new Date(Date.now() - 1_000)): Promise<string[]> {
    const now = new Date();
    const event: EventEntity = { id: newId(), accountId, type: 'call.failed', payload: { call_id: 'c1' }, occurredAt: now, idempotencyKey: null, createdAt: now };
    await ds.createQueryBuilder().insert().into(EventEntity).values(event).updateEntity(false).execute();
    const rows = Array.from({ length: n }, () =>
      newDelivery({ accountId, eventId: event.id, webhookId: null, targetUrl: 'http://127.0.0.1:9/never-called', nextAttemptAt: dueAt, ...patch }, now),
    );
    await insertRows(ds, 'deliveries', DELIVERY_COLUMNS, rows);
    return rows.map((r) => r.id);
  }

  const row = (id: string) => ds.getRepository(DeliveryEntity).findOneByOrFail({ id });

  /** What a worker would record after one attempt of `d`. */
  function result(d: ClaimedDelivery, status: AttemptRecord['status'], responseStatus: number): AttemptRecord {
    return {
      delivery: d,
      attempt: { number: d.attemptCount + 1, trigger: 'SCHEDULED', startedAt: new Date(), durationMs: 5, responseStatus, responseBody: null, errorKind: null, error: null },
      status,
      nextAttemptAt: status === 'PENDING' ? new Date(Date.now() + 60_000) : null,
      lastError: status === 'SUCCEEDED' ? null : `HTTP ${responseStatus}`,
      gone: false,
    };
  }

  it('claimSkipLockedDoesNotOverlap', async () => {
    const ids = await insertDeliveries(1_000);
    // Separate pools, as separate worker processes would have.
    const claimers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const own = await openDatabase({ type: 'mysql', url: db.url }, { migrate: false, poolSize: 2 });
        extra.push(own);
        return new Outbox(own);
      }),
    );
    const claims: ClaimedDelivery[][] = [];
    const byClaimer = claimers.map(() => 0);
    const failures: string[] = [];
    const deadline = Date.now() + 25_000;
    await Promise.all(
      claimers.map(async (c, i) => {
        while (Date.now() < deadline) {
          let got: ClaimedDelivery[];
          try {
            got = (await c.claim(7, 60_000)).claimed;
          } catch (e) {
            // The worker loop retries a failed claim; do the same, and count it.
            failures.push((e as Error).message);
            continue;
          }
          if (got.length) {
            claims.push(got);
            byClaimer[i] += got.length;
            continue;
          }
          // Empty may only mean every due row is locked by another claimer right now.
          const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM deliveries WHERE status = 'PENDING'`);
          if (Number(n) === 0) return;
        }
      }),
    );

    const claimedIds = claims.flat().map((d) => d.id);
    const owner = new Map(claims.flat().map((d) => [d.id, d.leaseToken]));
    expect(new Set(claims.map((c) => c[0].leaseToken)).size).toBe(claims.length);
    expect(claimedIds.length).toBe(1_000); // no id claimed twice…
    expect(owner.size).toBe(1_000); // …and every one claimed
    expect([...owner.keys()].sort()).toEqual([...ids].sort());
    // The claimers really ran side by side: the rows were shared out, not served by one.
    expect(byClaimer.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    const rows: { id: string; status: string; lease_token: string; locked_until: Date }[] = await ds.query('SELECT id, status, lease_token, locked_until FROM deliveries');
    for (const r of rows) {
      expect({ id: r.id, status: r.status, lease: r.lease_token }).toEqual({ id: r.id, status: 'IN_FLIGHT', lease: owner.get(r.id) });
      expect(r.locked_until.getTime()).toBeGreaterThan(Date.now());
    }
    // Claimers that skip each other's rows have nothing to deadlock over.
    expect(failures).toEqual([]);
  });

  it('stalledClaimerDoesNotBlockOtherClaimers', async () => {
    const ids = await insertDeliveries(10);
    const slowDs = await openDatabase({ type: 'mysql', url: db.url }, { migrate: false, poolSize: 1 });
    extra.push(slowDs);
    // A claimer that stalls (GC pause, slow network) between its SELECT … SKIP LOCKED and its UPDATE.
    const stall = await stallAfterSkipLockedSelect(slowDs);
    const slowClaim = new Outbox(slowDs).claim(4, 60_000).then((r) => r.claimed);
    await stall.selected;

    const started = Date.now();
    const fastClaim = repo.claim(100, 60_000).then((r) => r.claimed);
    const blocked = await withDeadline(fastClaim.then(() => false), 3_000, () => 'blocked').catch(() => true);
    const waitedMs = Date.now() - started;
    stall.release();
    const [slow, fast] = await Promise.all([slowClaim, fastClaim]);

    expect(slow).toHaveLength(4);
    expect([...slow, ...fast].map((d) => d.id).sort()).toEqual([...ids].sort());
    // SKIP LOCKED promises that claimers never wait on each other: the other claim must not sit
    // behind the stalled transaction (innodb_lock_wait_timeout, 50 s by default, would be the limit).
    expect({ blocked, waitedMs: blocked ? `>= ${waitedMs}` : 'under 3 s' }).toEqual({ blocked: false, waitedMs: 'under 3 s' });
  });

  it('claimTakesAtMostRoomPerWebhookAndSkipsExcludedOnes', async () => {
    const [busy, other, excluded] = [newId(), newId(), newId()];
    await insertDeliveries(6, { webhookId: busy }, new Date(Date.now() - 3_000));
    await insertDeliveries(3, { webhookId: other }, new Date(Date.now() - 2_000));
    await insertDeliveries(2, { webhookId: excluded }, new Date(Date.now() - 4_000));
    const { claimed, scanned } = await repo.claim(20, 60_000, { excludeWebhookIds: [excluded], room: (w) => (w === busy ? 2 : 10) });
    // The busy webhook's backlog is due first, yet only 2 of it are taken; the excluded one is never scanned.
    expect(scanned).toBe(9);
    expect(claimed.filter((d) => d.webhookId === busy)).toHaveLength(2);
    expect(claimed.filter((d) => d.webhookId === other)).toHaveLength(3);
    expect(claimed.some((d) => d.webhookId === excluded)).toBe(false);
    // What was scanned but not taken is still PENDING and claimable.
    const rest = (await repo.claim(20, 60_000)).claimed;
    expect(rest.filter((d) => d.webhookId === busy)).toHaveLength(4);
    expect(rest.filter((d) => d.webhookId === excluded)).toHaveLength(2);
  });

  it('fencedUpdateRejectsForeignLease', async () => {
    const [id] = await insertDeliveries(1);
    const [a] = (await repo.claim(1, 1_000)).claimed;
    expect(a.id).toBe(id);
    // Worker A stalls past its lease; the reaper hands the row back and worker B claims it.
    await waitFor('the reaper to reclaim the expired lease', async () => (await repo.reap()) === 1, { timeoutMs: 5_000, intervalMs: 50 });
    const [b] = (await repo.claim(1, 60_000)).claimed;
    expect(b.id).toBe(id);
    expect(b.leaseToken).not.toBe(a.leaseToken);

    // A's late result must not touch B's claim…
    expect(await repo.record([result(a, 'SUCCEEDED', 200)], opts)).toBe(0);
    expect(await row(id)).toMatchObject({ status: 'IN_FLIGHT', leaseToken: b.leaseToken, succeededAt: null, lastResponseStatus: null });
    // …B's result applies…
    expect(await repo.record([result(b, 'FAILED', 500)], opts)).toBe(1);
    // …and a result of A arriving after B's is rejected as well, in a batch beside a valid one.
    const [otherId] = await insertDeliveries(1);
    const [c] = (await repo.claim(1, 60_000)).claimed;
    expect(c.id).toBe(otherId);
    expect(await repo.record([result(a, 'SUCCEEDED', 200), result(c, 'SUCCEEDED', 204)], opts)).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'FAILED', attemptCount: 1, lastResponseStatus: 500, lastError: 'HTTP 500', succeededAt: null, leaseToken: null, lockedUntil: null });
    expect(await row(otherId)).toMatchObject({ status: 'SUCCEEDED', lastResponseStatus: 204, leaseToken: null });
    // A released lease is fenced too: B cannot hand back a row it no longer holds.
    expect(await repo.release([b])).toBe(0);
    expect((await row(id)).status).toBe('FAILED');
  });

  it('expiredLeasesAreReclaimed', async () => {
    const past = new Date(Date.now() - 5_000);
    const future = new Date(Date.now() + 60_000);
    const expired = await insertDeliveries(5, { status: 'IN_FLIGHT', leaseToken: newId(), lockedUntil: past, nextAttemptAt: past });
    const held = await insertDeliveries(3, { status: 'IN_FLIGHT', leaseToken: newId(), lockedUntil: future, nextAttemptAt: past });
    const done = await insertDeliveries(2, { status: 'SUCCEEDED', lockedUntil: null, nextAttemptAt: null, succeededAt: past });
    const before = Date.now();

    expect(await repo.reap()).toBe(5);
    for (const id of expired) {
      const r = await row(id);
      expect(r).toMatchObject({ status: 'PENDING', leaseToken: null, lockedUntil: null });
      expect(r.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
      expect(r.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    }
    for (const id of held) expect(await row(id)).toMatchObject({ status: 'IN_FLIGHT', lockedUntil: future });
    for (const id of done) expect((await row(id)).status).toBe('SUCCEEDED');

    const again = (await repo.claim(100, 60_000)).claimed;
    expect(again.map((d) => d.id).sort()).toEqual([...expired].sort());
    // Nothing is left to reap once the reclaimed rows carry fresh leases.
    expect(await repo.reap()).toBe(0);
  });
});
