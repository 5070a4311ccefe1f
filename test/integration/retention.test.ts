import { Registry } from 'prom-client';
import { v7 } from 'uuid';
import { execPositional, insertRows } from '../../src/db/sql';
import { RetentionPruner, uuidV7Floor } from '../../src/delivery/retention';
import { startHookline, TestHookline } from '../helpers/hookline';

const DAY = 86_400_000;
let seq = 0;
/** A UUIDv7 of a given millisecond (uuid's v7 honours `msecs` only together with `seq`). */
const idAt = (msecs: number) => v7({ msecs, seq: seq++ });

/** Raw INSERT columns of a row object, quoted (`trigger` is a reserved word in MySQL). */
const columnsOf = (row: object) => Object.keys(row).map((c) => [`\`${c}\``, (r: any) => r[c]] as const);

describe.each(['mysql', 'sqlite'] as const)('retention on %s', (db) => {
  let h: TestHookline;
  const now = Date.now();
  const old = now - 40 * DAY;
  const ids: Record<string, string> = {};
  const count = (table: string) => execPositional(h.hookline.ds, `SELECT COUNT(*) AS n FROM ${table}`, []).then((r) => Number(r.records[0].n));
  const exists = (table: string, id: string) => execPositional(h.hookline.ds, `SELECT id FROM ${table} WHERE id = ?`, [id]).then((r) => r.records.length === 1);

  beforeAll(async () => {
    // pruneOnce() is driven from here: the pruner on this thread, not on a delivery thread.
    h = await startHookline({ db, env: { HOOKLINE_DELIVERY_THREAD: 'false' } });
    const ds = h.hookline.ds;
    const at = (ms: number) => new Date(ms);
    const event = (name: string, ms: number) => {
      ids[name] = idAt(ms);
      return { id: ids[name], account_id: h.accountId, type: 'call.failed', payload: '{}', occurred_at: at(ms), idempotency_key: null, created_at: at(ms) };
    };
    const events = [event('prunedEvent', old), event('pendingEvent', old), event('inFlightEvent', old), event('touchedEvent', old), event('recentEvent', now - DAY)];
    await insertRows(ds, 'events', columnsOf(events[0]), events);
    const delivery = (name: string, eventName: string, status: string, ms: number, updatedMs = ms) => {
      ids[name] = idAt(ms);
      const future = at(now + DAY);
      return {
        id: ids[name], account_id: h.accountId, event_id: ids[eventName], webhook_id: null, target_url: 'http://127.0.0.1:9/',
        status, attempt_count: 1, attempt_base: 0, next_trigger: 'SCHEDULED', next_attempt_at: status === 'PENDING' ? future : null,
        locked_until: status === 'IN_FLIGHT' ? future : null, lease_token: status === 'IN_FLIGHT' ? v7() : null,
        created_at: at(ms), updated_at: at(updatedMs),
      };
    };
    const deliveries = [
      delivery('succeeded', 'prunedEvent', 'SUCCEEDED', old),
      delivery('failed', 'prunedEvent', 'FAILED', old),
      delivery('pending', 'pendingEvent', 'PENDING', old),
      delivery('inFlight', 'inFlightEvent', 'IN_FLIGHT', old),
      delivery('redeliveredLately', 'touchedEvent', 'FAILED', old, now - DAY),
      delivery('recent', 'recentEvent', 'SUCCEEDED', now - DAY),
    ];
    await insertRows(ds, 'deliveries', columnsOf(deliveries[0]), deliveries);
    // 1,200 old attempts (three batches of 500) and one recent one.
    const attempts = Array.from({ length: 1_201 }, (_, i) => {
      const ms = i === 1_200 ? now - DAY : old + i;
      return { id: idAt(ms), delivery_id: ids.succeeded, account_id: h.accountId, number: 1, trigger: 'SCHEDULED', started_at: at(ms), duration_ms: 5 };
    });
    ids.recentAttempt = attempts[1_200].id;
    await insertRows(ds, 'delivery_attempts', columnsOf(attempts[0]), attempts);
    const idem = (key: string, expiresMs: number) => ({
      account_id: h.accountId, idem_key: key, request_hash: 'x'.repeat(64), state: 'DONE', response_status: 200, response_body: '{}',
      locked_until: at(expiresMs), expires_at: at(expiresMs), created_at: at(expiresMs - DAY),
    });
    await insertRows(ds, 'idempotency_records', columnsOf(idem('a', 0)), [idem('expired-key', now - 1000), idem('live-key-0', now + 3600_000)]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('computes a UUIDv7 floor that orders ids by their millisecond', () => {
    expect(idAt(1000) < uuidV7Floor(1001)).toBe(true);
    expect(idAt(1001) < uuidV7Floor(1001)).toBe(false);
  });

  it('with HOOKLINE_RETENTION_DAYS=0 keeps every event, delivery and attempt but still drops expired idempotency records', async () => {
    const keepAll = new RetentionPruner(h.hookline.ds, { retentionDays: 0, log: h.hookline.log, registry: new Registry() });
    const counts = await keepAll.pruneOnce(now);
    expect(counts).toEqual({ delivery_attempts: 0, deliveries: 0, events: 0, idempotency_records: 1 });
    expect(await count('delivery_attempts')).toBe(1_201);
  });

  it('prunes old attempts, finished deliveries and their events in batches, never PENDING or IN_FLIGHT ones, and counts them in /metrics', async () => {
    const counts = await h.hookline.pruner!.pruneOnce(now);
    expect(counts).toEqual({ delivery_attempts: 1_200, deliveries: 2, events: 1, idempotency_records: 0 });
    expect(await exists('delivery_attempts', ids.recentAttempt)).toBe(true);
    expect(await count('delivery_attempts')).toBe(1);
    for (const kept of ['pending', 'inFlight', 'redeliveredLately', 'recent']) expect(await exists('deliveries', ids[kept])).toBe(true);
    for (const gone of ['succeeded', 'failed']) expect(await exists('deliveries', ids[gone])).toBe(false);
    expect(await exists('events', ids.prunedEvent)).toBe(false);
    for (const kept of ['pendingEvent', 'inFlightEvent', 'touchedEvent', 'recentEvent']) expect(await exists('events', ids[kept])).toBe(true);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('hookline_retention_pruned_rows_total{table="delivery_attempts"} 1200');
    expect(metrics).toContain('hookline_retention_pruned_rows_total{table="deliveries"} 2');
    expect(metrics).toContain('hookline_retention_pruned_rows_total{table="events"} 1');
    // A second pass finds nothing more.
    expect(await h.hookline.pruner!.pruneOnce(now)).toEqual({ delivery_attempts: 0, deliveries: 0, events: 0, idempotency_records: 0 });
  });
});
