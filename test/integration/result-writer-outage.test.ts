import net from 'node:net';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { DeliveryEntity, EventEntity } from '../../src/db/entities';
import { newDelivery } from '../../src/db/rows';
import { ResultWriter } from '../../src/delivery/result-writer';
import { newId } from '../../src/domain/ids';
import { createLogger } from '../../src/logger';
import { Outbox } from '../../src/outbox/outbox';
import type { AttemptRecord, ClaimedDelivery } from '../../src/outbox/types';
import { waitFor } from '../helpers/child';
import { createTestDatabase, MYSQL_SERVER_URL, TestDatabase } from '../helpers/db';

/**
 * A loopback TCP proxy in front of the shared MariaDB that can be cut (open connections reset, new
 * ones refused) and restored: a database outage for one client, without touching the server.
 */
async function cuttableProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 3306), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    port: () => port,
    async cut() {
      await new Promise<void>((r) => {
        server!.close(() => r());
        for (const s of sockets) s.destroy();
      });
    },
    restore: listen,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => (server?.listening ? server.close(() => r()) : r()));
    },
  };
}

/** Issue 9, item 2: the result writer never drops a recorded result while the lease lasts. */
describe('result writer during a database outage (MariaDB through a cut proxy)', () => {
  let db: TestDatabase;
  let direct: DataSource;
  let proxied: DataSource;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let logs: { level: number; msg: string }[] = [];
  const accountId = newId();

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    direct = await openDatabase({ type: 'mysql', url: db.url }, { poolSize: 2 });
    proxy = await cuttableProxy(new URL(MYSQL_SERVER_URL));
    const url = new URL(db.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port());
    proxied = await openDatabase({ type: 'mysql', url: url.toString() }, { migrate: false, poolSize: 2 });
  });
  afterAll(async () => {
    await proxied?.destroy().catch(() => undefined);
    await proxy?.close();
    await direct?.destroy();
    await db?.drop();
  });

  function writer(outbox: Outbox, outages: boolean[]) {
    logs = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).trim().split('\n')) logs.push(JSON.parse(line));
        done();
      },
    });
    return new ResultWriter(
      { record: (rs, rules, recheck) => outbox.record(rs, rules, { recheck }), written: () => undefined, outage: (down) => outages.push(down), log: createLogger('info', sink) },
      { autoDisableAfterMs: 0, autoDisableMinFailures: 20 },
    );
  }

  async function claimed(n: number, leaseMs: number, outbox: Outbox): Promise<ClaimedDelivery[]> {
    const now = new Date();
    const event: EventEntity = { id: newId(), accountId, type: 'call.failed', payload: {}, occurredAt: now, idempotencyKey: null, createdAt: now };
    await direct.getRepository(EventEntity).insert(event as object);
    const rows = Array.from({ length: n }, () => newDelivery({ accountId, eventId: event.id, webhookId: null, targetUrl: 'http://127.0.0.1:9/never', nextAttemptAt: new Date(now.getTime() - 1_000) }, now));
    (await new Outbox(direct).enqueue(direct, rows)).committed();
    const { claimed: got } = await outbox.claim(n, leaseMs);
    expect(got).toHaveLength(n);
    return got;
  }

  const success = (d: ClaimedDelivery): AttemptRecord => ({
    delivery: d,
    attempt: { number: 1, trigger: 'SCHEDULED', startedAt: new Date(), durationMs: 3, responseStatus: 200, responseBody: null, errorKind: null, error: null },
    status: 'SUCCEEDED',
    nextAttemptAt: null,
    lastError: null,
    gone: false,
  });
  const states = async (ds: ClaimedDelivery[]) => (await direct.getRepository(DeliveryEntity).findBy(ds.map((d) => ({ id: d.id })))).map((r) => ({ status: r.status, lease: r.leaseToken }));

  it('keepsRetryingWhileTheLeaseLastsAndWritesOnceTheDatabaseAnswers', async () => {
    const outbox = new Outbox(proxied);
    const held = await claimed(3, 60_000, outbox);
    const outages: boolean[] = [];
    const w = writer(outbox, outages);
    await proxy.cut();
    let written = false;
    const done = Promise.all(held.map((d) => w.add(success(d)))).then(() => (written = true));
    // Past the 8 tries (~16 s of backoff in all) after which results used to be dropped.
    await new Promise((r) => setTimeout(r, 17_000));
    expect(written).toBe(false);
    expect(await states(held)).toEqual(held.map((d) => ({ status: 'IN_FLIGHT', lease: d.leaseToken })));
    await proxy.restore();
    await done;
    expect(await states(held)).toEqual(held.map(() => ({ status: 'SUCCEEDED', lease: null })));
    expect(Number((await direct.query(`SELECT COUNT(*) AS n FROM delivery_attempts WHERE delivery_id IN (?, ?, ?)`, held.map((d) => d.id)))[0].n)).toBe(3);
    expect(outages).toEqual([true, false]);
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/writing delivery results failed/), expect.stringMatching(/results written; the database answers again/)]));
    expect(logs.some((l) => /gave up/.test(l.msg))).toBe(false);
  }, 60_000);

  it('givesUpOnlyAsTheLeaseRunsOutAndLeavesTheRowsToExpire', async () => {
    const outbox = new Outbox(proxied);
    const held = await claimed(2, 3_000, outbox);
    const w = writer(outbox, []);
    await proxy.cut();
    const started = Date.now();
    await Promise.all(held.map((d) => w.add(success(d))));
    const gaveUpAfter = Date.now() - started;
    await proxy.restore();
    // Given up no earlier than a second before the lease ends, and no later than it ends.
    expect(gaveUpAfter).toBeGreaterThanOrEqual(3_000 - 1_000 - 200 - 100);
    expect(gaveUpAfter).toBeLessThan(3_000 + 500);
    // Nothing else was done with the rows: still in flight under the same lease, no attempt row, until the lease expires.
    expect(await states(held)).toEqual(held.map((d) => ({ status: 'IN_FLIGHT', lease: d.leaseToken })));
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/gave up writing delivery results as their leases run out/)]));
    await waitFor('the lease to expire and the reaper to requeue the rows', async () => (await new Outbox(direct).reap()) === 2, { timeoutMs: 5_000, intervalMs: 100 });
  }, 60_000);

  it('aRetriedWriteWhoseFirstTryCommittedAddsNoSecondAttemptRow', async () => {
    const outbox = new Outbox(direct);
    const held = await claimed(2, 60_000, outbox);
    const rules = { autoDisableAfterMs: 0, autoDisableMinFailures: 20 };
    // The first try committed but its answer was lost; the writer tries the same results again.
    expect(await outbox.record(held.map(success), rules)).toBe(2);
    expect(await outbox.record(held.map(success), rules, { recheck: true })).toBe(0);
    const [{ n }] = await direct.query(`SELECT COUNT(*) AS n FROM delivery_attempts WHERE delivery_id IN (?, ?)`, held.map((d) => d.id));
    expect(Number(n)).toBe(2);
    expect(await states(held)).toEqual(held.map(() => ({ status: 'SUCCEEDED', lease: null })));
  });
});
