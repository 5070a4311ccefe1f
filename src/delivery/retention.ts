import client from 'prom-client';
import type { DataSource } from 'typeorm';
import { execPositional, placeholders } from '../db/sql';
import type { Logger } from '../logger';

/** Rows deleted per statement: short transactions that hold few row locks, so claims never wait long. @default 500 */
export const RETENTION_BATCH = 500;
/** Pause between two batches, leaving the database to the engine (ms). @default 50 */
export const RETENTION_PAUSE_MS = 50;
/** Time between two pruning passes (ms). @default 600_000 (10 min) */
export const RETENTION_INTERVAL_MS = 600_000;
/** Delay of the first pass after start, so that a restart does not add load at once (ms). @default 30_000 */
export const RETENTION_FIRST_PASS_MS = 30_000;

export type PrunedTable = 'delivery_attempts' | 'deliveries' | 'events' | 'idempotency_records';
export type PruneCounts = Record<PrunedTable, number>;

/**
 * The smallest UUIDv7 of a millisecond: ids are time-ordered (UUIDv7), so `id < uuidV7Floor(t)` selects
 * the rows created before t through the primary key, with no index on a time column.
 */
export function uuidV7Floor(ms: number): string {
  const h = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7000-8000-000000000000`;
}

/**
 * Deletes what is older than the retention period, in small batches: attempts by their age, finished
 * (SUCCEEDED or FAILED) deliveries not touched since the cutoff, events with no delivery left, and
 * idempotency records past their expiry. PENDING and IN_FLIGHT deliveries are never touched, nor
 * their events. Runs in the worker role; counts go to `hookline_retention_pruned_rows_total`.
 */
export class RetentionPruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;
  private readonly pruned: client.Counter<'table'>;

  constructor(
    private readonly ds: DataSource,
    private readonly opts: { retentionDays: number; log: Logger; registry: client.Registry; batch?: number; pauseMs?: number },
  ) {
    this.pruned = new client.Counter({
      name: 'hookline_retention_pruned_rows_total',
      help: 'Rows deleted by retention, by table (HOOKLINE_RETENTION_DAYS; idempotency records after 24 h).',
      labelNames: ['table'],
      registers: [opts.registry],
    });
  }

  start(intervalMs = RETENTION_INTERVAL_MS, firstPassMs = RETENTION_FIRST_PASS_MS): void {
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => {
        this.running = this.pruneOnce()
          .catch((err) => this.opts.log.warn({ err }, 'retention pass failed; retrying at the next pass'))
          .finally(() => {
            if (!this.stopped) schedule(intervalMs);
          });
      }, ms);
      this.timer.unref();
    };
    schedule(firstPassMs);
  }

  /** Stops scheduling and waits for the current batch (a pass stops between batches). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every table until nothing old is left; returns the rows deleted per table. */
  async pruneOnce(now = Date.now()): Promise<PruneCounts> {
    const counts: PruneCounts = { delivery_attempts: 0, deliveries: 0, events: 0, idempotency_records: 0 };
    const { retentionDays } = this.opts;
    if (retentionDays > 0) {
      const cutoff = new Date(now - retentionDays * 86_400_000);
      const floor = uuidV7Floor(cutoff.getTime());
      await this.drain(counts, 'delivery_attempts', (n) => this.pruneByIds('delivery_attempts', 'SELECT id FROM delivery_attempts WHERE id < ? ORDER BY id LIMIT ?', [floor, n], ''));
      const finished = "status IN ('SUCCEEDED', 'FAILED')";
      await this.drain(counts, 'deliveries', (n) =>
        // The status is checked again by the DELETE: a redeliver may have re-queued the row since the SELECT.
        this.pruneByIds('deliveries', `SELECT id FROM deliveries WHERE id < ? AND ${finished} AND updated_at < ? ORDER BY id LIMIT ?`, [floor, cutoff, n], ` AND ${finished}`),
      );
      const orphan = 'NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)';
      await this.drain(counts, 'events', (n) => this.pruneByIds('events', `SELECT id FROM events WHERE id < ? AND ${orphan} ORDER BY id LIMIT ?`, [floor, n], ` AND ${orphan}`));
    }
    await this.drain(counts, 'idempotency_records', (n) => this.pruneIdempotency(new Date(now), n));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total) this.opts.log.info({ pruned: counts, retentionDays }, 'retention pass done');
    return counts;
  }

  /**
   * Repeats `step` (which selects at most n rows and deletes them) until it selects a short batch,
   * pausing between batches. Rows selected but not deleted (re-queued meanwhile) fall out of the next
   * selection, so every pass ends.
   */
  private async drain(counts: PruneCounts, table: PrunedTable, step: (n: number) => Promise<{ selected: number; deleted: number }>) {
    const batch = this.opts.batch ?? RETENTION_BATCH;
    for (;;) {
      const { selected, deleted } = await step(batch);
      counts[table] += deleted;
      if (deleted) this.pruned.inc({ table }, deleted);
      if (selected < batch || this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, this.opts.pauseMs ?? RETENTION_PAUSE_MS));
    }
  }

  /** Reads a batch of ids without locking, then deletes them by primary key (`recheck` repeats the condition). */
  private async pruneByIds(table: PrunedTable, select: string, params: unknown[], recheck: string) {
    const ids = (await execPositional(this.ds, select, params)).records.map((r: { id: string }) => r.id);
    if (!ids.length) return { selected: 0, deleted: 0 };
    const r = await execPositional(this.ds, `DELETE FROM ${table} WHERE id IN (${placeholders(ids.length)})${recheck}`, ids);
    return { selected: ids.length, deleted: r.affected };
  }

  /** Idempotency records past expires_at (24 h after their request), through ix_idempotency_expiry. */
  private async pruneIdempotency(now: Date, n: number) {
    const sql = 'SELECT account_id, idem_key FROM idempotency_records WHERE expires_at < ? ORDER BY expires_at LIMIT ?';
    const rows = (await execPositional(this.ds, sql, [now, n])).records as { account_id: string; idem_key: string }[];
    if (!rows.length) return { selected: 0, deleted: 0 };
    const keys = rows.map(() => '(account_id = ? AND idem_key = ?)').join(' OR ');
    const r = await execPositional(this.ds, `DELETE FROM idempotency_records WHERE expires_at < ? AND (${keys})`, [now, ...rows.flatMap((k) => [k.account_id, k.idem_key])]);
    return { selected: rows.length, deleted: r.affected };
  }
}
