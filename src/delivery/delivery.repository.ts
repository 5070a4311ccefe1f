import type { DataSource, EntityManager } from 'typeorm';
import { isMysql } from '../db/data-source';
import { execPositional, execSql, parseDbDate, placeholders, runSql } from '../db/sql';
import type { AttemptTrigger } from '../db/entities/delivery-attempt.entity';
import type { DeliveryStatus } from '../db/entities/delivery.entity';
import { newId } from '../domain/ids';
import type { EventEntity } from '../db/entities';
import type { ErrorKind } from './retry-policy';
import type { DeliverySnapshot } from '../domain/domain-events';

/** A delivery this worker holds a lease on. */
export interface ClaimedDelivery {
  id: string;
  accountId: string;
  eventId: string;
  webhookId: string | null;
  targetUrl: string | null;
  attemptCount: number;
  attemptBase: number;
  nextTrigger: AttemptTrigger;
  createdAt: Date;
  leaseToken: string;
}

/** The outcome of one attempt, as the engine records it. */
export interface AttemptRecord {
  delivery: ClaimedDelivery;
  /** Null when no request was made (the webhook was deleted or paused meanwhile). */
  attempt: {
    number: number;
    trigger: AttemptTrigger;
    startedAt: Date;
    durationMs: number;
    responseStatus: number | null;
    responseBody: string | null;
    errorKind: ErrorKind | null;
    error: string | null;
  } | null;
  status: Extract<DeliveryStatus, 'PENDING' | 'SUCCEEDED' | 'FAILED'>;
  nextAttemptAt: Date | null;
  lastError: string | null;
  /** The receiver answered 410 Gone: the webhook is disabled. */
  gone: boolean;
}

/** The state a recorded result leaves its delivery in, as subscribers see it. */
export function snapshotOf(r: AttemptRecord, now: Date): DeliverySnapshot {
  const d = r.delivery;
  return {
    id: d.id,
    accountId: d.accountId,
    eventId: d.eventId,
    webhookId: d.webhookId,
    targetUrl: d.targetUrl,
    status: r.status,
    attemptCount: r.attempt ? r.attempt.number : d.attemptCount,
    nextAttemptAt: r.nextAttemptAt,
    lastResponseStatus: r.attempt?.responseStatus ?? null,
    lastError: r.lastError,
    succeededAt: r.status === 'SUCCEEDED' ? now : null,
    createdAt: d.createdAt,
    updatedAt: now,
  };
}

/** A span for people: `5 d`, `36 h`, `12 min`, `1.5 s`. */
export function formatSpan(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
  for (const [size, unit] of units) {
    if (ms >= size) return `${Number((ms / size).toFixed(1))} ${unit}`;
  }
  return `${Math.round(ms)} ms`;
}

/** Rows per multi-row statement. */
const CHUNK = 500;

/**
 * The engine's only door to the database. Claims take a lease (`lease_token`, `locked_until`); every
 * later change is fenced on that token, so a worker whose lease expired can never overwrite the
 * work of the worker that reclaimed the row.
 */
export class DeliveryRepository {
  private readonly mysql: boolean;

  constructor(private readonly ds: DataSource) {
    this.mysql = isMysql(ds);
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
    const cols = 'id, account_id, event_id, webhook_id, target_url, attempt_count, attempt_base, next_trigger, created_at';
    const due = `SELECT ${cols} FROM deliveries WHERE status = 'PENDING' AND next_attempt_at <= ? ${exclude} ORDER BY next_attempt_at LIMIT ${Math.floor(limit)}`;
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
    const step = async (m: EntityManager, lock: string) => {
      const found = (await execPositional(m, `${due}${lock}`, [now, ...exclusions])).records;
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
    const { taken, scanned } = this.mysql
      ? await this.ds.transaction('READ COMMITTED', (m) => step(m, ' FOR UPDATE SKIP LOCKED'))
      : await this.ds.transaction((m) => step(m, ''));
    const claimed = taken.map((r) => ({
      id: String(r.id),
      accountId: String(r.account_id),
      eventId: String(r.event_id),
      webhookId: (r.webhook_id as string | null) ?? null,
      targetUrl: (r.target_url as string | null) ?? null,
      attemptCount: Number(r.attempt_count),
      attemptBase: Number(r.attempt_base),
      nextTrigger: r.next_trigger as AttemptTrigger,
      createdAt: parseDbDate(r.created_at)!,
      leaseToken,
    }));
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

  /** Returns deliveries whose lease ran out (their worker died) to PENDING, due now. */
  async reapExpiredLeases(now = new Date()): Promise<number> {
    const run = (m: EntityManager) => execSql(
      m,
      `UPDATE deliveries SET status = 'PENDING', lease_token = NULL, locked_until = NULL, next_attempt_at = :now, updated_at = :now
       WHERE status = 'IN_FLIGHT' AND locked_until < :now`,
      { now },
    );
    const r = this.mysql ? await this.ds.transaction('READ COMMITTED', run) : await run(this.ds.manager);
    return r.affected;
  }

  /** Gives leases back: rows still held by these tokens become PENDING, due after `delayMs`. */
  async release(deliveries: readonly ClaimedDelivery[], delayMs = 0, now = new Date()): Promise<number> {
    const due = new Date(now.getTime() + delayMs);
    let n = 0;
    for (const d of deliveries) {
      const r = await execSql(
        this.ds,
        `UPDATE deliveries SET status = 'PENDING', lease_token = NULL, locked_until = NULL, next_attempt_at = :due, updated_at = :now
         WHERE id = :id AND lease_token = :token`,
        { now, due, id: d.id, token: d.leaseToken },
      );
      n += r.affected;
    }
    return n;
  }

  /**
   * Writes a batch of results in one transaction: one multi-row INSERT of attempts, one fenced UPDATE
   * of the deliveries (per-row values by CASE, fenced per row on its lease token), then the webhook
   * health counters. Returns how many deliveries passed the fence.
   */
  async record(results: readonly AttemptRecord[], opts: { autoDisableAfterMs: number; autoDisableMinFailures: number }, now = new Date()): Promise<number> {
    if (!results.length) return 0;
    const write = async (m: EntityManager) => {
      const attempts = results.filter((r) => r.attempt);
      for (let i = 0; i < attempts.length; i += CHUNK) await this.insertAttempts(m, attempts.slice(i, i + CHUNK));
      let fenced = 0;
      for (let i = 0; i < results.length; i += CHUNK) fenced += await this.updateDeliveries(m, results.slice(i, i + CHUNK), now);
      await this.updateWebhookHealth(m, results, opts, now);
      return fenced;
    };
    return this.mysql ? this.ds.transaction('READ COMMITTED', write) : this.ds.transaction(write);
  }

  private async insertAttempts(m: EntityManager, rs: readonly AttemptRecord[]): Promise<void> {
    const cols = ['id', 'delivery_id', 'webhook_id', 'account_id', 'number', '`trigger`', 'started_at', 'duration_ms', 'response_status', 'response_body', 'error_kind', 'error', 'next_attempt_at'];
    const params: unknown[] = [];
    for (const r of rs) {
      const a = r.attempt!;
      params.push(newId(), r.delivery.id, r.delivery.webhookId, r.delivery.accountId, a.number, a.trigger, a.startedAt, a.durationMs, a.responseStatus, a.responseBody, a.errorKind, a.error?.slice(0, 500) ?? null, r.nextAttemptAt);
    }
    const row = `(${placeholders(cols.length)})`;
    const names = this.mysql ? cols.join(', ') : cols.join(', ').replace('`trigger`', '"trigger"');
    await execPositional(m, `INSERT INTO delivery_attempts (${names}) VALUES ${rs.map(() => row).join(', ')}`, params);
  }

  /** One UPDATE for the batch: per-row values by CASE, each row fenced on its own lease token. */
  private async updateDeliveries(m: EntityManager, rs: readonly AttemptRecord[], now: Date): Promise<number> {
    const cases: unknown[][] = [[], [], [], [], [], [], []];
    for (const r of rs) {
      const id = r.delivery.id;
      const values = [
        r.status,
        r.attempt ? r.attempt.number : r.delivery.attemptCount,
        r.nextAttemptAt,
        r.attempt?.responseStatus ?? null,
        r.lastError?.slice(0, 500) ?? null,
        r.status === 'SUCCEEDED' ? now : null,
        r.delivery.leaseToken,
      ];
      values.forEach((v, i) => cases[i].push(id, v));
    }
    const when = `CASE id ${rs.map(() => 'WHEN ? THEN ?').join(' ')} END`;
    const ids = rs.map((r) => r.delivery.id);
    const r = await execPositional(
      m,
      `UPDATE deliveries SET status = ${when}, attempt_count = ${when}, next_attempt_at = ${when}, last_response_status = ${when},
         last_error = ${when}, succeeded_at = ${when}, next_trigger = 'SCHEDULED', lease_token = NULL, locked_until = NULL, updated_at = ?
       WHERE id IN (${placeholders(ids.length)}) AND lease_token = ${when}`,
      [...cases.slice(0, 6).flat(), now, ...ids, ...cases[6]],
    );
    return r.affected;
  }

  private async updateWebhookHealth(m: EntityManager, rs: readonly AttemptRecord[], opts: { autoDisableAfterMs: number; autoDisableMinFailures: number }, now: Date) {
    const ok = new Set<string>();
    const failed = new Map<string, number>();
    const gone = new Set<string>();
    for (const r of rs) {
      const id = r.delivery.webhookId;
      if (!id || !r.attempt) continue;
      if (r.gone) gone.add(id);
      if (r.status === 'SUCCEEDED') ok.add(id);
      else if (r.status === 'FAILED') failed.set(id, (failed.get(id) ?? 0) + 1);
    }
    if (gone.size) {
      await runSql(
        m,
        `UPDATE webhooks SET status = 'AUTO_DISABLED', disabled_reason = :reason, updated_at = :now WHERE id IN (:...ids) AND status = 'ACTIVE'`,
        { ids: [...gone], now, reason: 'The receiver answered 410 Gone' },
      );
    }
    if (ok.size) {
      await runSql(m, `UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL WHERE id IN (:...ids) AND consecutive_failures > 0`, { ids: [...ok] });
    }
    for (const [id, n] of failed) {
      if (ok.has(id)) continue;
      await runSql(m, `UPDATE webhooks SET consecutive_failures = consecutive_failures + :n, failing_since = COALESCE(failing_since, :now) WHERE id = :id`, { id, n, now });
    }
    if (failed.size && opts.autoDisableAfterMs > 0) {
      await runSql(
        m,
        `UPDATE webhooks SET status = 'AUTO_DISABLED', disabled_reason = :reason, updated_at = :now
         WHERE id IN (:...ids) AND status = 'ACTIVE' AND consecutive_failures >= :min AND failing_since <= :cutoff`,
        {
          ids: [...failed.keys()],
          now,
          min: opts.autoDisableMinFailures,
          cutoff: new Date(now.getTime() - opts.autoDisableAfterMs),
          reason: `Every delivery failed for ${formatSpan(opts.autoDisableAfterMs)} (at least ${opts.autoDisableMinFailures} deliveries)`,
        },
      );
    }
  }

  /** Due deliveries and the age of the oldest one (seconds), for /metrics. */
  async queueDepth(now = new Date()): Promise<{ due: number; oldestDueAgeSeconds: number }> {
    const [row] = await runSql<Record<string, unknown>[]>(
      this.ds,
      `SELECT COUNT(*) AS n, MIN(next_attempt_at) AS oldest FROM deliveries WHERE status = 'PENDING' AND next_attempt_at <= :now`,
      { now },
    );
    const oldest = parseDbDate(row?.oldest);
    return { due: Number(row?.n ?? 0), oldestDueAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0 };
  }
}
