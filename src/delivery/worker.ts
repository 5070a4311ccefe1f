import type { EventEntity, WebhookEntity } from '../db/entities';
import type { DomainEvents } from '../domain/domain-events';
import type { Logger } from '../logger';
import { AttemptRecord, ClaimedDelivery, DeliveryRepository, snapshotOf } from './delivery.repository';
import { attemptDelivery, AttempterDeps } from './attempter';
import { envelope } from './request';
import { Semaphore } from './semaphore';
import type { WebhookCache } from './webhook-cache';

/** How long a delivery whose attempt crashed (not a receiver failure: our own error) waits before it is claimed again. */
const CRASH_RETRY_DELAY_MS = 30_000;

export interface WorkerOptions {
  /** HTTP attempts in flight at once in this process. */
  concurrency: number;
  /** HTTP attempts in flight at once per webhook in this process; at most as many again wait, claimed, behind them. */
  perWebhookConcurrency: number;
  /** Deliveries claimed per claim query; up to this many wait, claimed, for a send slot. */
  claimBatch: number;
  leaseMs: number;
  pollIntervalMs: number;
  autoDisableAfterMs: number;
  autoDisableMinFailures: number;
  /** Results written per transaction at most. @default 200 */
  flushBatch?: number;
}

export interface WorkerDeps extends AttempterDeps {
  repo: DeliveryRepository;
  webhooks: WebhookCache;
  events?: DomainEvents;
  log: Logger;
}

interface BatchContext {
  events: Map<string, EventEntity>;
  webhooks: Map<string, WebhookEntity>;
  bodies: Map<string, string>;
}

/**
 * The delivery engine of one process: claims due deliveries in batches under a lease, sends them
 * with bounded concurrency (also per webhook, so one slow receiver cannot starve the rest), and writes
 * results back in batches with fenced updates. Woken at once after a local publish; polls otherwise.
 *
 * A delivery is "held" from its claim until its result is written. At most `concurrency` are being
 * sent; up to `claimBatch` more wait, claimed, for a send slot, so claims come in full batches and
 * the claim round trip stays off the send path.
 */
export class DeliveryWorker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly inFlight = new Map<string, { delivery: ClaimedDelivery; done: Promise<void> }>();
  private readonly perWebhook = new Map<string, number>();
  private wakeFlag = false;
  private wakeResolve?: () => void;
  private pending: { record: AttemptRecord; resolve: () => void }[] = [];
  /** Set once stop() handed the unfinished leases back: later results are dropped, not written. */
  private released = false;
  private flushing: Promise<void> = Promise.resolve();
  private flushTimer?: NodeJS.Timeout;
  private reaperTimer?: NodeJS.Timeout;
  private readonly wakeTimers = new Map<number, NodeJS.Timeout>();
  private readonly flushBatch: number;
  private readonly sendSlots: Semaphore;
  private readonly perWebhookSlots = new Map<string, Semaphore>();
  private readonly maxHeld: number;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly opts: WorkerOptions,
  ) {
    this.flushBatch = opts.flushBatch ?? 200;
    this.sendSlots = new Semaphore(opts.concurrency);
    this.maxHeld = opts.concurrency + opts.claimBatch;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
    const reap = () =>
      this.deps.repo.reapExpiredLeases().then(
        (n) => {
          if (n) {
            this.deps.log.warn({ count: n }, 'reclaimed deliveries whose lease expired');
            this.wake();
          }
        },
        (err) => this.deps.log.error({ err }, 'lease reaper failed'),
      );
    void reap();
    this.reaperTimer = setInterval(reap, Math.max(1000, Math.min(this.opts.leaseMs / 2, 30_000)));
    this.reaperTimer.unref();
  }

  /**
   * Wakes the worker when a retry or a delayed event falls due, so short delays are not rounded up to
   * the poll interval. One timer per 50 ms slot, only for the next minute: later ones the poll finds.
   */
  wakeAt(at: Date): void {
    const ms = at.getTime() - Date.now();
    if (ms <= 0) return this.wake();
    if (ms > 60_000 || !this.running) return;
    const slot = Math.ceil(at.getTime() / 50) * 50;
    if (this.wakeTimers.has(slot)) return;
    const t = setTimeout(() => {
      this.wakeTimers.delete(slot);
      this.wake();
    }, slot - Date.now());
    t.unref();
    this.wakeTimers.set(slot, t);
  }

  /** Due work may exist now (a local publish committed, or a slot freed). */
  wake(): void {
    this.wakeFlag = true;
    this.wakeResolve?.();
  }

  /**
   * Graceful stop: claim nothing more, let in-flight attempts finish within `graceMs`, write their
   * results, and hand back the leases of whatever is still running.
   */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.reaperTimer);
    for (const t of this.wakeTimers.values()) clearTimeout(t);
    this.wakeTimers.clear();
    this.wake();
    await this.loopDone;
    const all = Promise.all([...this.inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    await this.flush();
    const unfinished = [...this.inFlight.values()].map((f) => f.delivery);
    this.inFlight.clear();
    this.released = true;
    if (unfinished.length) {
      const n = await this.deps.repo.release(unfinished);
      this.deps.log.info({ released: n }, 'released leases of unfinished deliveries');
    }
  }

  private async loop(): Promise<void> {
    let backoffMs = 100;
    while (this.running) {
      const held = this.inFlight.size;
      const want = Math.min(this.opts.claimBatch, this.maxHeld - held);
      // A full batch when there is room for one; a smaller one only while send slots sit idle.
      if (want <= 0 || (want < this.opts.claimBatch && held >= this.opts.concurrency)) {
        await this.waitForWake(this.opts.pollIntervalMs);
        continue;
      }
      // Per webhook: as many claimed-and-waiting as it may have sending, and no more.
      const cap = this.opts.perWebhookConcurrency * 2;
      const saturated = [...this.perWebhook].filter(([, n]) => n >= cap).map(([id]) => id);
      this.wakeFlag = false;
      let claim: { claimed: ClaimedDelivery[]; scanned: number };
      try {
        claim = await this.deps.repo.claim(want, this.opts.leaseMs, {
          excludeWebhookIds: saturated,
          room: (webhookId) => cap - (this.perWebhook.get(webhookId) ?? 0),
        });
        backoffMs = 100;
      } catch (err) {
        this.deps.log.error({ err }, 'claim failed; retrying');
        await this.waitForWake(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
        continue;
      }
      if (claim.claimed.length) this.dispatch(claim.claimed);
      // Nothing more is due now (fewer rows than asked for), or all that is due waits for busy webhooks.
      if (claim.scanned < want || !claim.claimed.length) await this.waitForWake(this.opts.pollIntervalMs);
    }
  }

  private waitForWake(ms: number): Promise<void> {
    if (this.wakeFlag || !this.running) {
      this.wakeFlag = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakeResolve = () => {
        this.wakeResolve = undefined;
        done();
      };
    }).then(() => {
      this.wakeFlag = false;
    });
  }

  private dispatch(claimed: ClaimedDelivery[]): void {
    for (const d of claimed) {
      if (d.webhookId) this.perWebhook.set(d.webhookId, (this.perWebhook.get(d.webhookId) ?? 0) + 1);
    }
    const ctx = this.loadContext(claimed);
    for (const d of claimed) {
      const done = ctx
        .then((c) => this.attempt(d, c))
        .catch(async (err) => {
          // Hand the lease back (fenced), due again shortly; if even that fails, the lease expires.
          this.deps.log.error({ err, deliveryId: d.id }, 'attempt failed before a result was recorded; releasing it');
          await this.deps.repo.release([d], CRASH_RETRY_DELAY_MS).catch(() => undefined);
        })
        .finally(() => {
          this.inFlight.delete(d.id);
          if (d.webhookId) {
            const n = (this.perWebhook.get(d.webhookId) ?? 1) - 1;
            if (n > 0) this.perWebhook.set(d.webhookId, n);
            else {
              this.perWebhook.delete(d.webhookId);
              this.perWebhookSlots.delete(d.webhookId);
            }
          }
          this.wake();
        });
      this.inFlight.set(d.id, { delivery: d, done });
    }
  }

  /** The send slots of one webhook (kept while it holds deliveries). */
  private webhookSlots(webhookId: string): Semaphore {
    let s = this.perWebhookSlots.get(webhookId);
    if (!s) {
      s = new Semaphore(this.opts.perWebhookConcurrency);
      this.perWebhookSlots.set(webhookId, s);
    }
    return s;
  }

  private async loadContext(claimed: ClaimedDelivery[]): Promise<BatchContext> {
    const eventIds = [...new Set(claimed.map((d) => d.eventId))];
    const webhookIds = [...new Set(claimed.map((d) => d.webhookId).filter((id): id is string => !!id))];
    const [events, webhooks] = await Promise.all([this.deps.repo.loadEvents(eventIds), this.deps.webhooks.getMany(webhookIds)]);
    return { events, webhooks, bodies: new Map() };
  }

  private async attempt(d: ClaimedDelivery, ctx: BatchContext): Promise<void> {
    const event = ctx.events.get(d.eventId);
    if (!event) throw new Error(`event ${d.eventId} of delivery ${d.id} is missing`);
    let body = ctx.bodies.get(event.id);
    if (body === undefined) {
      body = envelope(event);
      ctx.bodies.set(event.id, body);
    }
    const webhook = d.webhookId ? ctx.webhooks.get(d.webhookId) : undefined;
    // The webhook's own slot first, so a delivery waiting on a busy webhook holds no global slot.
    const perWebhook = d.webhookId ? this.webhookSlots(d.webhookId) : undefined;
    await perWebhook?.acquire();
    await this.sendSlots.acquire();
    if (!this.running) {
      // Stopping: a delivery still waiting for a slot is not started; its lease goes back now.
      this.sendSlots.release();
      perWebhook?.release();
      await this.deps.repo.release([d]);
      return;
    }
    let record: AttemptRecord;
    try {
      record = await attemptDelivery(this.deps, d, event, webhook, { body });
    } finally {
      this.sendSlots.release();
      perWebhook?.release();
    }
    await this.enqueue(record);
  }

  /**
   * Buffers a result for the next batched write and resolves once it is written, so a delivery counts
   * against the concurrency until its result is durable (unwritten results never pile up beyond it).
   */
  private enqueue(r: AttemptRecord): Promise<void> {
    if (this.released) return Promise.resolve(); // its lease was handed back at stop: another worker redoes it
    const written = new Promise<void>((resolve) => this.pending.push({ record: r, resolve }));
    if (this.pending.length >= this.flushBatch) void this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => void this.flush(), 5);
    return written;
  }

  /** Writes buffered results; flushes run one at a time, in order. */
  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending.splice(0, this.pending.length);
    if (!batch.length) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      await this.write(batch.map((p) => p.record));
      for (const p of batch) p.resolve();
    });
    return this.flushing;
  }

  private async write(batch: AttemptRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const fenced = await this.deps.repo.record(batch, { autoDisableAfterMs: this.opts.autoDisableAfterMs, autoDisableMinFailures: this.opts.autoDisableMinFailures });
        if (fenced < batch.length) this.deps.log.warn({ lost: batch.length - fenced }, 'results for leases another worker had reclaimed were not applied');
        const now = new Date();
        this.deps.events?.deliveriesUpdated(batch.map((r) => snapshotOf(r, now)));
        for (const r of batch) if (r.status === 'PENDING' && r.nextAttemptAt) this.wakeAt(r.nextAttemptAt);
        if (batch.some((r) => r.gone)) this.deps.webhooks.clear();
        return;
      } catch (err) {
        // The database hiccuped: keep the results and try again; if we never get through, the
        // leases expire and the deliveries are attempted again (at least once).
        this.deps.log.error({ err, attempt }, 'writing delivery results failed; retrying');
        if (attempt >= 8) return;
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5_000)));
      }
    }
  }
}
