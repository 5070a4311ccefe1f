import type { Logger } from '../logger';
import type { AttemptRecord, HealthRules } from '../outbox/types';

/** First pause between tries of a failed write (ms); it doubles up to WRITE_BACKOFF_MAX_MS. @default 100 */
const WRITE_BACKOFF_MS = 100;
/** Longest pause between tries of a failed write (ms). @default 5_000 */
export const WRITE_BACKOFF_MAX_MS = 5_000;
/** A result is given up this long before its lease runs out (ms): its write could not land in time. @default 1_000 */
const LEASE_MARGIN_MS = 1_000;
/** Results written per transaction at most. @default 1_000 */
const MAX_BATCH = 1_000;

export interface ResultWriterDeps {
  /** `recheck`: a retry, whose earlier try may have committed with its answer lost. */
  record(results: readonly AttemptRecord[], rules: HealthRules, recheck: boolean): Promise<number>;
  /** After each batch is durable (or given up): announce, wake retries, clear caches. */
  written(batch: readonly AttemptRecord[]): void;
  /** The database is failing (true) or answering again (false). */
  outage(down: boolean): void;
  log: Logger;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Writes attempt results in batches: whatever finished while the previous write ran goes in the next
 * one (group commit), so the writer never waits on a timer and never runs two writes at once.
 *
 * A recorded result is never dropped while its delivery's lease lasts: a failed write is tried again
 * with capped backoff until it lands. Only a result whose lease is about to run out is given up, and
 * then nothing else is done with its row either (no release, no resend here): once the lease has
 * expired the reaper makes it due again, and it is sent again (at least once).
 */
export class ResultWriter {
  private pending: { record: AttemptRecord; resolve: () => void }[] = [];
  private running?: Promise<void>;
  private stopAt = Infinity;

  constructor(
    private readonly deps: ResultWriterDeps,
    private readonly rules: HealthRules,
  ) {}

  /** Results buffered or being written. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Resolves once the result is written, or given up because its lease ran out. */
  add(record: AttemptRecord): Promise<void> {
    const done = new Promise<void>((resolve) => this.pending.push({ record, resolve }));
    this.running ??= this.drain();
    return done;
  }

  /** Waits for everything buffered; after `deadline` (ms since epoch) failing writes are given up (shutdown). */
  async settle(deadline = Infinity): Promise<void> {
    this.stopAt = deadline;
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let the results of this tick join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length) {
      const batch = this.pending.splice(0, MAX_BATCH);
      await this.write(batch);
    }
    this.running = undefined;
  }

  private async write(batch: { record: AttemptRecord; resolve: () => void }[]): Promise<void> {
    let tries = 0;
    for (;;) {
      try {
        const records = batch.map((p) => p.record);
        const fenced = await this.deps.record(records, this.rules, tries > 0);
        if (fenced < records.length) {
          this.deps.log.warn(
            { notApplied: records.length - fenced },
            tries > 0
              ? 'some results were not applied: their rows no longer hold this lease (an earlier try committed with its answer lost, or the lease was reclaimed)'
              : 'results for leases another worker had reclaimed were not applied',
          );
        }
        if (tries) {
          this.deps.log.info({ tries: tries + 1, results: records.length }, 'delivery results written; the database answers again');
          this.deps.outage(false);
        }
        this.deps.written(records);
        for (const p of batch) p.resolve();
        return;
      } catch (err) {
        tries++;
        if (tries === 1) {
          this.deps.log.error({ err, results: batch.length }, 'writing delivery results failed; holding them and trying again while their leases last');
          this.deps.outage(true);
        }
        // Given up: a result whose lease ends within the margin (its write could not land in time), or all at shutdown.
        const now = Date.now();
        const stopping = now >= this.stopAt;
        const expiring = batch.filter((p) => stopping || p.record.delivery.lockedUntil.getTime() - LEASE_MARGIN_MS <= now);
        if (expiring.length) {
          this.deps.log.warn(
            { results: expiring.length, tries, deliveryIds: expiring.slice(0, 10).map((p) => p.record.delivery.id) },
            stopping
              ? 'shutting down with delivery results unwritten; their deliveries are attempted again once their leases expire'
              : 'gave up writing delivery results as their leases run out; those deliveries are attempted again once the leases expire',
          );
          for (const p of expiring) p.resolve();
          batch = batch.filter((p) => !expiring.includes(p));
          if (!batch.length) return;
        }
        // The next try comes after the backoff, or just before the first remaining lease runs out.
        const lastChance = Math.min(this.stopAt, ...batch.map((p) => p.record.delivery.lockedUntil.getTime() - LEASE_MARGIN_MS));
        const wait = Math.max(0, Math.min(WRITE_BACKOFF_MS * 2 ** (tries - 1), WRITE_BACKOFF_MAX_MS, lastChance - now));
        await sleep(wait);
      }
    }
  }
}
