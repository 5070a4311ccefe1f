import type { DataSource, EntityManager } from 'typeorm';
import { isMysql } from '../db/data-source';
import type { DeliveryEntity, EventEntity } from '../db/entities';
import type { AttemptTrigger } from '../db/entities/delivery-attempt.entity';
import { DELIVERY_COLUMNS } from '../db/rows';
import { execPositional, execSql, insertStatements, oneTripTransaction, parseDbDate, pipelinedTransaction, placeholders, runSql, type Statement } from '../db/sql';
import { newId } from '../domain/ids';
import { passedFence, resultWrites, writeResults } from './record';
import type { AttemptRecord, ClaimedDelivery, HealthRules } from './types';

type Db = DataSource | EntityManager;

/** A lease the local worker took on fresh rows at publish: they are inserted IN_FLIGHT under it. */
export interface LocalLease {
  token: string;
  lockedUntil: Date;
  /** The ids of the rows it takes. */
  ids: ReadonlySet<string>;
  /** Their webhooks, to give the room back should the publish roll back. */
  webhookIds: readonly (string | null)[];
}

/**
 * The worker of this process, as the outbox sees it: it may take fresh rows straight from the
 * publisher (no claim round trip) while it has free send slots, and learns when rows become due.
 */
export interface LocalWorker {
  /** Takes what it has room for among these rows, due now; null when it takes none. */
  reserve(rows: readonly Pick<DeliveryEntity, 'id' | 'webhookId'>[], now: Date): LocalLease | null;
  /** The rows of a lease, committed: send them. */
  accept(lease: LocalLease, deliveries: ClaimedDelivery[], events: ReadonlyMap<string, EventEntity>): void;
  /** The transaction that would have inserted them rolled back: give the room back. */
  cancel(lease: LocalLease): void;
  /** Rows became due at `at` (now or later) for any worker to claim; `events` are theirs, when known. */
  queued(at: Date, events?: ReadonlyMap<string, EventEntity>): void;
}

/** What enqueue() did, to be settled once the caller's transaction is over. */
export interface Handoff {
  /** After commit: rows leased to the local worker go to it, and due rows are signalled. */
  committed(): void;
  /** After a rollback. */
  rolledBack(): void;
}

const CLAIM_COLUMNS = 'id, account_id, event_id, webhook_id, target_url, attempt_count, attempt_base, next_trigger, created_at';
/** A delivery put back in the queue by hand: due now, recorded as MANUAL, with a fresh retry budget. */
const REQUEUE = `SET status = 'PENDING', next_attempt_at = :now, next_trigger = 'MANUAL', attempt_base = attempt_count, updated_at = :now`;
/** Giving a lease back: the row is PENDING again, claimable once due. */
const UNLEASE = `status = 'PENDING', lease_token = NULL, locked_until = NULL`;

/**
 * The outbox: the one owner of a delivery row's life. Rows are enqueued with their event (one
 * transaction), claimed under a lease (`lease_token`, `locked_until`), and every later change is
 * fenced on that token, so a worker whose lease expired can never overwrite the work of the worker
 * that reclaimed the row. Fan-out, replay, redeliver, testWebhook and the worker all come here.
 */
export class Outbox {
  private readonly mysql: boolean;
  private local?: LocalWorker;

  constructor(private readonly ds: DataSource) {
    this.mysql = isMysql(ds);
  }

  /** The worker of this process (none in the api role). */
  attach(worker: LocalWorker): void {
    this.local = worker;
  }

  /**
   * Inserts new delivery rows on `m` (the caller's transaction). With `events` given, the rows due
   * now that the local worker has room for are inserted already leased to it, and are handed to it
   * by `committed()`: the first attempt needs no claim. Should the process die before their results
   * are written, their lease expires and any worker takes them again (at least once).
   */
  async enqueue(m: Db, rows: DeliveryEntity[], events?: ReadonlyMap<string, EventEntity>, now = new Date()): Promise<Handoff> {
    const { statements, handoff } = this.prepareEnqueue(rows, events, now);
    try {
      for (const s of statements) await execPositional(m, s.sql, s.values);
    } catch (e) {
      handoff.rolledBack();
      throw e;
    }
    return handoff;
  }

  /**
   * enqueue() as statements for the caller to run in its transaction (the publish transaction sends
   * them with its COMMIT). Settle the handoff: `committed()` once committed, `rolledBack()` otherwise.
   */
  prepareEnqueue(rows: DeliveryEntity[], events?: ReadonlyMap<string, EventEntity>, now = new Date()): { statements: Statement[]; handoff: Handoff } {
    const local = this.local;
    const fresh = events && local ? rows.filter((r) => r.status === 'PENDING' && r.nextAttemptAt && r.nextAttemptAt <= now && events.has(r.eventId)) : [];
    const lease = fresh.length ? local!.reserve(fresh, now) : null;
    const handed: ClaimedDelivery[] = [];
    let firstDue: Date | undefined;
    for (const r of rows) {
      if (lease?.ids.has(r.id)) {
        Object.assign(r, { status: 'IN_FLIGHT', leaseToken: lease.token, lockedUntil: lease.lockedUntil });
        handed.push(toClaimed(r, lease.token, lease.lockedUntil));
      } else if (r.status === 'PENDING' && r.nextAttemptAt && (!firstDue || r.nextAttemptAt < firstDue)) firstDue = r.nextAttemptAt;
    }
    let settled = false;
    const handoff: Handoff = {
      committed: () => {
        if (settled) return;
        settled = true;
        if (lease) local!.accept(lease, handed, events!);
        if (firstDue) this.local?.queued(firstDue, events);
      },
      rolledBack: () => {
        if (settled) return;
        settled = true;
        if (lease) local!.cancel(lease);
      },
    };
    return { statements: insertStatements('deliveries', DELIVERY_COLUMNS, rows), handoff };
  }

  /**
   * Claims up to `limit` due deliveries, at most `room(webhookId)` of any one webhook (so a backlog of
   * one slow webhook cannot fill a claim); webhooks in `excludeWebhookIds` are not even scanned.
   * MySQL/MariaDB: `FOR UPDATE SKIP LOCKED`, so concurrent claimers never wait on or take each other's
   * rows; rows scanned but not taken are only locked until the claim commits. SQLite: the same two
   * steps in one transaction (a single writer). `scanned` tells whether more may be due now.
   */
  async claim(
    limit: number,
    leaseMs: number,
    opts: { excludeWebhookIds?: readonly string[]; room?: (webhookId: string) => number } = {},
    now = new Date(),
  ): Promise<{ claimed: ClaimedDelivery[]; scanned: number }> {
    const exclusions = opts.excludeWebhookIds ?? [];
    const leaseToken = newId();
    const lockedUntil = new Date(now.getTime() + leaseMs);
    const exclude = exclusions.length ? `AND (webhook_id IS NULL OR webhook_id NOT IN (${placeholders(exclusions.length)}))` : '';
    const due = `SELECT ${CLAIM_COLUMNS} FROM deliveries WHERE status = 'PENDING' AND next_attempt_at <= ? ${exclude} ORDER BY next_attempt_at LIMIT ${Math.floor(limit)}`;
    const take = (found: Record<string, unknown>[]) => {
      if (!opts.room) return found;
      const left = new Map<string, number>();
      return found.filter((r) => {
        const w = r.webhook_id as string | null;
        if (!w) return true;
        const n = left.get(w) ?? opts.room!(w);
        left.set(w, n - 1);
        return n > 0;
      });
    };
    const step = async (m: EntityManager, lock: string, begun: Promise<void>) => {
      const select = execPositional(m, `${due}${lock}`, [now, ...exclusions]);
      select.catch(() => undefined);
      // The locking read goes out behind START TRANSACTION; nothing is written before START answered.
      await begun;
      const found = (await select).records;
      const taken = take(found);
      if (taken.length) {
        await execPositional(
          m,
          `UPDATE deliveries SET status = 'IN_FLIGHT', lease_token = ?, locked_until = ?, updated_at = ? WHERE id IN (${placeholders(taken.length)})`,
          [leaseToken, lockedUntil, now, ...taken.map((r) => r.id)],
        );
      }
      return { taken, scanned: found.length };
    };
    // READ COMMITTED: SKIP LOCKED then takes no gap locks, so claimers never wait on or deadlock
    // with each other (under REPEATABLE READ the UPDATE runs into other claimers' gap locks).
    const { taken, scanned } = await pipelinedTransaction(this.ds, (m, begun) => step(m, this.mysql ? ' FOR UPDATE SKIP LOCKED' : '', begun), 'READ COMMITTED');
    const claimed = taken.map((r) =>
      toClaimed(
        {
          id: String(r.id),
          accountId: String(r.account_id),
          eventId: String(r.event_id),
          webhookId: (r.webhook_id as string | null) ?? null,
          targetUrl: (r.target_url as string | null) ?? null,
          attemptCount: Number(r.attempt_count),
          attemptBase: Number(r.attempt_base),
          nextTrigger: r.next_trigger as AttemptTrigger,
          createdAt: parseDbDate(r.created_at)!,
        },
        leaseToken,
        lockedUntil,
      ),
    );
    return { claimed, scanned };
  }

  /** The events of claimed deliveries, one query, read without entity hydration (hot path). */
  async loadEvents(ids: readonly string[]): Promise<Map<string, EventEntity>> {
    const out = new Map<string, EventEntity>();
    if (!ids.length) return out;
    const { records } = await execPositional(
      this.ds,
      `SELECT id, account_id, type, payload, occurred_at, idempotency_key, created_at FROM events WHERE id IN (${placeholders(ids.length)})`,
      ids,
    );
    for (const r of records) {
      out.set(String(r.id), {
        id: String(r.id),
        accountId: String(r.account_id),
        type: String(r.type),
        payload: JSON.parse(String(r.payload)),
        occurredAt: parseDbDate(r.occurred_at)!,
        idempotencyKey: (r.idempotency_key as string | null) ?? null,
        createdAt: parseDbDate(r.created_at)!,
      });
    }
    return out;
  }

  /**
   * Returns deliveries whose lease ran out (their worker died) to PENDING, due now. IN_FLIGHT rows
   * are few (bounded by the workers' concurrency), so the claim index's status prefix finds them.
   */
  async reap(now = new Date()): Promise<number> {
    const run = (m: EntityManager) =>
      execSql(m, `UPDATE deliveries SET ${UNLEASE}, next_attempt_at = :now, updated_at = :now WHERE status = 'IN_FLIGHT' AND locked_until < :now`, { now });
    const r = this.mysql ? await this.ds.transaction('READ COMMITTED', run) : await run(this.ds.manager);
    if (r.affected) this.local?.queued(now);
    return r.affected;
  }

  /** Gives leases back: rows still held by these tokens become PENDING, due after `delayMs`. */
  async release(deliveries: readonly ClaimedDelivery[], delayMs = 0, now = new Date()): Promise<number> {
    const due = new Date(now.getTime() + delayMs);
    const byToken = new Map<string, string[]>();
    for (const d of deliveries) byToken.set(d.leaseToken, [...(byToken.get(d.leaseToken) ?? []), d.id]);
    let n = 0;
    for (const [token, ids] of byToken) {
      const r = await execSql(
        this.ds,
        `UPDATE deliveries SET ${UNLEASE}, next_attempt_at = :due, updated_at = :now WHERE lease_token = :token AND id IN (:...ids)`,
        { now, due, token, ids },
      );
      n += r.affected;
    }
    return n;
  }

  /**
   * Writes a batch of results in one transaction (see writeResults); returns how many passed the
   * fence. `recheck` (a write tried again) first keeps only the rows still under their lease.
   */
  async record(results: readonly AttemptRecord[], rules: HealthRules, opts: { recheck?: boolean } = {}, now = new Date()): Promise<number> {
    if (!results.length) return 0;
    if (!opts.recheck) {
      // Writes only, reading nothing: START, the writes and COMMIT in one trip.
      const writes = resultWrites(this.mysql, results, rules, now);
      return passedFence(writes, await oneTripTransaction(this.ds, writes.statements, 'READ COMMITTED'));
    }
    return pipelinedTransaction(
      this.ds,
      async (m, begun) => {
        await begun;
        return writeResults(m, this.mysql, results, rules, now, opts.recheck);
      },
      'READ COMMITTED',
    );
  }

  /** redeliver: one settled delivery due again now (one in flight is left alone). Returns 1 when queued. */
  async requeue(id: string, now = new Date()): Promise<number> {
    const r = await execSql(this.ds, `UPDATE deliveries ${REQUEUE} WHERE id = :id AND status <> 'IN_FLIGHT'`, { id, now });
    if (r.affected) this.local?.queued(now);
    return r.affected;
  }

  /** replay: up to `limit` settled deliveries of one webhook whose events occurred in [since, until) due again now. */
  async requeueWebhook(webhookId: string, args: { since: Date; until: Date; onlyFailed: boolean; limit: number }, now = new Date()): Promise<number> {
    const statusCond = args.onlyFailed ? `d.status = 'FAILED'` : `d.status IN ('SUCCEEDED', 'FAILED')`;
    const r = await execSql(
      this.ds,
      `UPDATE deliveries ${REQUEUE}
       WHERE id IN (SELECT id FROM (SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id
                    WHERE d.webhook_id = :webhookId AND ${statusCond} AND e.occurred_at >= :since AND e.occurred_at < :until
                    LIMIT ${Math.floor(args.limit)}) AS picked)`,
      { webhookId, now, since: args.since, until: args.until },
    );
    if (r.affected) this.local?.queued(now);
    return r.affected;
  }

  /** Due deliveries and the age of the oldest one (seconds), for /metrics. */
  async depth(now = new Date()): Promise<{ due: number; oldestDueAgeSeconds: number }> {
    const [row] = await runSql<Record<string, unknown>[]>(
      this.ds,
      `SELECT COUNT(*) AS n, MIN(next_attempt_at) AS oldest FROM deliveries WHERE status = 'PENDING' AND next_attempt_at <= :now`,
      { now },
    );
    const oldest = parseDbDate(row?.oldest);
    return { due: Number(row?.n ?? 0), oldestDueAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0 };
  }
}

function toClaimed(
  r: Pick<DeliveryEntity, 'id' | 'accountId' | 'eventId' | 'webhookId' | 'targetUrl' | 'attemptCount' | 'attemptBase' | 'nextTrigger' | 'createdAt'>,
  leaseToken: string,
  lockedUntil: Date,
): ClaimedDelivery {
  return {
    id: r.id,
    accountId: r.accountId,
    eventId: r.eventId,
    webhookId: r.webhookId,
    targetUrl: r.targetUrl,
    attemptCount: r.attemptCount,
    attemptBase: r.attemptBase,
    nextTrigger: r.nextTrigger,
    createdAt: r.createdAt,
    leaseToken,
    lockedUntil,
  };
}
