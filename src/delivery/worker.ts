import type { EventEntity, WebhookEntity } from '../db/entities';
import type { DomainEvents } from '../domain/domain-events';
import { newId } from '../domain/ids';
import type { Logger } from '../logger';
import type { LocalLease, LocalWorker, Outbox } from '../outbox/outbox';
import { AttemptRecord, ClaimedDelivery, snapshotOf } from '../outbox/types';
import { attemptDelivery, AttempterDeps } from './attempter';
import { HandoffBudget, Holdings } from './holdings';
import { envelope } from './request';
import { ResultWriter, WRITE_BACKOFF_MAX_MS } from './result-writer';
import { Semaphore } from './semaphore';
import { Waker } from './wake';
import type { WebhookCache } from './webhook-cache';

/** Events published in this process kept for the claims that follow (no read back). @default 10_000 */
const RECENT_EVENTS = 10_000;
/** A held delivery is sent only while its lease has at least this long left (ms), or a quarter of the lease if that is less. @default 1_000 */
const SEND_LEASE_MARGIN_MS = 1_000;
/** How long a delivery whose attempt crashed (not a receiver failure: our own error) waits before it is claimed again. */
const CRASH_RETRY_DELAY_MS = 30_000;

export interface WorkerOptions {
  /** HTTP attempts in flight at once in this process. */
  concurrency: number;
  /** HTTP attempts in flight per webhook at first; it adapts (see AdaptiveLimit), and as many again wait, claimed, behind them. */
  perWebhookConcurrency: number;
  /** Deliveries claimed per claim query; up to this many wait, claimed, for a send slot. */
  claimBatch: number;
  leaseMs: number;
  pollIntervalMs: number;
  autoDisableAfterMs: number;
  autoDisableMinFailures: number;
}

export interface WorkerDeps extends AttempterDeps {
  outbox: Outbox;
  webhooks: WebhookCache;
  events?: DomainEvents;
  log: Logger;
  /** A publisher on another thread hands rows over within this room (see DeliveryThread): told at start and after every written batch. */
  handoffRoom?: (budget: HandoffBudget) => void;
}

interface BatchContext {
  events: ReadonlyMap<string, EventEntity>;
  webhooks: Map<string, WebhookEntity>;
  bodies: Map<string, string>;
}

/**
 * The delivery engine of one process: takes due deliveries under a lease — handed over by a local
 * publish, or claimed in batches — sends them with bounded concurrency (per webhook too, adaptive, so
 * one slow receiver cannot starve the rest), and writes results back in batches with fenced updates.
 *
 * A delivery is "held" from its claim until its result is written. At most `concurrency` are being
 * sent and up to `claimBatch` more wait for a send slot, so claims come in full batches and the claim
 * round trip stays off the send path; results waiting for their write are counted apart (bounded
 * too), so a write in progress never stops the next claim.
 */
export class DeliveryWorker implements LocalWorker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly inFlight = new Map<string, { delivery: ClaimedDelivery; done: Promise<void> }>();
  private readonly held: Holdings;
  private readonly waker = new Waker();
  /** Events published here lately, oldest first: rows queued behind busy slots are claimed without reading them back. */
  private readonly recentEvents = new Map<string, EventEntity>();
  /** The database failed a write or a claim: claims wait until it answers again. */
  private paused = false;
  /** Set once stop() handed the unfinished leases back: later results are dropped, not written. */
  private released = false;
  private reaperTimer?: NodeJS.Timeout;
  private reaperFailing = false;
  private readonly sendSlots: Semaphore;
  private readonly maxUnwritten: number;
  private readonly writer: ResultWriter;
  private readonly leaseMarginMs: number;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly opts: WorkerOptions,
  ) {
    this.sendSlots = new Semaphore(opts.concurrency);
    this.held = new Holdings(opts.concurrency + opts.claimBatch, opts);
    this.maxUnwritten = Math.max(opts.concurrency, opts.claimBatch) * 4;
    this.leaseMarginMs = Math.min(SEND_LEASE_MARGIN_MS, opts.leaseMs / 4);
    this.writer = new ResultWriter(
      {
        record: (rs, rules, recheck) => deps.outbox.record(rs, rules, { recheck }),
        written: (batch) => this.written(batch),
        outage: (down) => this.setPaused(down, 'writing results'),
        log: deps.log,
      },
      { autoDisableAfterMs: opts.autoDisableAfterMs, autoDisableMinFailures: opts.autoDisableMinFailures },
    );
    deps.outbox.attach(this);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
    this.deps.handoffRoom?.(this.held.handoffBudget());
    const reap = () =>
      this.deps.outbox.reap().then(
        (n) => {
          if (this.reaperFailing) this.deps.log.info('lease reaper runs again');
          this.reaperFailing = false;
          if (n) this.deps.log.warn({ count: n }, 'reclaimed deliveries whose lease expired');
        },
        (err) => {
          // Once per outage, not once per tick.
          if (!this.reaperFailing) this.deps.log.error({ err }, 'lease reaper failed; it keeps trying');
          this.reaperFailing = true;
        },
      );
    void reap();
    this.reaperTimer = setInterval(reap, Math.max(1000, Math.min(this.opts.leaseMs / 2, 30_000)));
    this.reaperTimer.unref();
  }

  /** LocalWorker: rows became due at `at`. */
  queued(at: Date, events?: ReadonlyMap<string, EventEntity>): void {
    if (events && this.running) {
      for (const [id, e] of events) this.recentEvents.set(id, e);
      for (const id of this.recentEvents.keys()) {
        if (this.recentEvents.size <= RECENT_EVENTS) break;
        this.recentEvents.delete(id);
      }
    }
    this.wakeAt(at);
  }

  /** Wakes the worker when a retry or a delayed event falls due, so short delays are not rounded up to the poll. */
  wakeAt(at: Date): void {
    if (this.running) this.waker.wakeAt(at);
  }

  /** Due work may exist now (rows were queued, or a slot freed). */
  wake(): void {
    this.waker.wake();
  }

  /** LocalWorker: takes the fresh rows it has room for (global and per webhook), under one new lease. */
  reserve(rows: readonly { id: string; webhookId: string | null }[], now: Date): LocalLease | null {
    if (!this.running || this.paused || this.writer.backlog >= this.maxUnwritten) return null;
    const ids = new Set<string>();
    for (const r of rows) {
      if (!this.held.fitsHandoff(r.webhookId)) continue;
      this.held.hold(r.webhookId);
      ids.add(r.id);
    }
    if (!ids.size) return null;
    return { token: newId(), lockedUntil: new Date(now.getTime() + this.opts.leaseMs), ids, webhookIds: rows.filter((r) => ids.has(r.id)).map((r) => r.webhookId) };
  }

  /**
   * Rows a publisher on another thread leased to this worker within the last room it was told (they
   * are IN_FLIGHT under that lease, committed): held and sent like rows taken here.
   */
  adopt(deliveries: ClaimedDelivery[], events: ReadonlyMap<string, EventEntity>): void {
    for (const d of deliveries) this.held.hold(d.webhookId);
    this.dispatch(deliveries, events);
  }

  /** LocalWorker: the publish committed; its rows are ours to send. */
  accept(_lease: LocalLease, deliveries: ClaimedDelivery[], events: ReadonlyMap<string, EventEntity>): void {
    this.dispatch(deliveries, events);
  }

  /** LocalWorker: the publish rolled back. */
  cancel(lease: LocalLease): void {
    for (const w of lease.webhookIds) this.held.unhold(w);
  }

  /**
   * Graceful stop: claim nothing more, let in-flight attempts finish within `graceMs`, write their
   * results, and hand back the leases of whatever is still running.
   */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const deadline = Date.now() + graceMs;
    clearInterval(this.reaperTimer);
    this.waker.close();
    this.waker.wake();
    await this.loopDone;
    const sent = Promise.all([...this.inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([sent, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    await this.writer.settle(Math.max(deadline, Date.now() + 1_000));
    const unfinished = [...this.inFlight.values()].map((f) => f.delivery);
    this.inFlight.clear();
    this.released = true;
    if (unfinished.length) {
      const n = await this.deps.outbox.release(unfinished);
      this.deps.log.info({ released: n }, 'released leases of unfinished deliveries');
    }
  }

  private async loop(): Promise<void> {
    let backoffMs = 100;
    while (this.running) {
      const active = this.held.active;
      const want = Math.min(this.opts.claimBatch, this.opts.concurrency + this.opts.claimBatch - active);
      // A full batch when there is room for one; a smaller one only while send slots sit idle.
      if (want <= 0 || (want < this.opts.claimBatch && active >= this.opts.concurrency) || this.writer.backlog >= this.maxUnwritten) {
        await this.waitForWake(this.opts.pollIntervalMs);
        continue;
      }
      // While the database is out, a claim is only a probe, now and then.
      if (this.paused) await this.waitForWake(backoffMs);
      if (!this.running) break;
      // Per webhook: as many claimed-and-waiting as it may have sending, and no more.
      const saturated = this.held.full();
      this.waker.consume();
      let claim: { claimed: ClaimedDelivery[]; scanned: number };
      try {
        claim = await this.deps.outbox.claim(want, this.opts.leaseMs, {
          excludeWebhookIds: saturated,
          room: (webhookId) => this.held.left(webhookId),
        });
        backoffMs = 100;
        this.setPaused(false, 'claiming');
      } catch (err) {
        this.setPaused(true, 'claiming', err);
        await this.waitForWake(backoffMs);
        backoffMs = Math.min(backoffMs * 2, WRITE_BACKOFF_MAX_MS);
        continue;
      }
      if (claim.claimed.length) {
        for (const d of claim.claimed) this.held.hold(d.webhookId);
        this.dispatch(claim.claimed);
      }
      // Nothing more is due now (fewer rows than asked for), or all that is due waits for busy webhooks.
      if (claim.scanned < want || !claim.claimed.length) await this.waitForWake(this.opts.pollIntervalMs);
    }
  }

  /** Pauses claims while the database fails, and says so once; resumes when it answers again. */
  private setPaused(down: boolean, what: string, err?: unknown): void {
    if (down === this.paused) return;
    this.paused = down;
    if (down) this.deps.log.error({ err }, `database unavailable while ${what}: claims paused until it answers again`);
    else {
      this.deps.log.info(`database answers again (${what}): claims resumed`);
      this.wake();
    }
  }

  private waitForWake(ms: number): Promise<void> {
    return this.running ? this.waker.wait(ms) : Promise.resolve();
  }

  /** Sends held deliveries; `events` when the publisher handed them over (no read needed). */
  private dispatch(claimed: ClaimedDelivery[], events?: ReadonlyMap<string, EventEntity>): void {
    const ctx = this.loadContext(claimed, events);
    for (const d of claimed) {
      let sent = false;
      const done = ctx
        .then((c) => this.attempt(d, c, () => ((sent = true), this.held.sent(), this.held.unhold(d.webhookId))))
        .catch(async (err) => {
          // Hand the lease back (fenced), due again shortly; if even that fails, the lease expires.
          this.deps.log.error({ err, deliveryId: d.id }, 'attempt failed before a result was recorded; releasing it');
          await this.deps.outbox.release([d], CRASH_RETRY_DELAY_MS).catch(() => undefined);
        })
        .finally(() => {
          if (!sent) this.held.unhold(d.webhookId);
          this.inFlight.delete(d.id);
          this.wake();
        });
      this.inFlight.set(d.id, { delivery: d, done });
    }
  }

  private async loadContext(claimed: ClaimedDelivery[], known?: ReadonlyMap<string, EventEntity>): Promise<BatchContext> {
    const webhookIds = [...new Set(claimed.map((d) => d.webhookId).filter((id): id is string => !!id))];
    const events = known ?? this.events(claimed);
    const [e, webhooks] = await Promise.all([events, this.deps.webhooks.getMany(webhookIds)]);
    return { events: e, webhooks, bodies: new Map() };
  }

  /** The events of claimed rows: those published here lately from memory, the rest in one read. */
  private async events(claimed: ClaimedDelivery[]): Promise<Map<string, EventEntity>> {
    const out = new Map<string, EventEntity>();
    const missing = new Set<string>();
    for (const d of claimed) {
      const e = this.recentEvents.get(d.eventId);
      if (e) out.set(d.eventId, e);
      else missing.add(d.eventId);
    }
    if (missing.size) for (const [id, e] of await this.deps.outbox.loadEvents([...missing])) out.set(id, e);
    return out;
  }

  /** One attempt; `sent()` is called once the send is over, before the result is written. */
  private async attempt(d: ClaimedDelivery, ctx: BatchContext, sent: () => void): Promise<void> {
    const event = ctx.events.get(d.eventId);
    if (!event) throw new Error(`event ${d.eventId} of delivery ${d.id} is missing`);
    let body = ctx.bodies.get(event.id);
    if (body === undefined) {
      body = envelope(event);
      ctx.bodies.set(event.id, body);
    }
    const webhook = d.webhookId ? ctx.webhooks.get(d.webhookId) : undefined;
    // The webhook's own slot first, so a delivery waiting on a busy webhook holds no global slot.
    const perWebhook = d.webhookId ? this.held.limit(d.webhookId) : undefined;
    await perWebhook?.acquire();
    await this.sendSlots.acquire();
    const expiring = d.lockedUntil.getTime() - Date.now() < this.leaseMarginMs;
    if (!this.running || expiring) {
      // Stopping: a delivery still waiting for a slot is not started; its lease goes back now.
      // Its lease (nearly) ran out while it waited: another worker may hold the row by now, so it is
      // not sent under this lease; the fenced release makes it due again only if no one took it.
      this.sendSlots.release();
      perWebhook?.release();
      if (expiring) this.deps.log.warn({ deliveryId: d.id }, 'lease ran out while the delivery waited for a send slot; not sent, handed back');
      await this.deps.outbox.release([d]);
      return;
    }
    let record: AttemptRecord | undefined;
    try {
      record = await attemptDelivery(this.deps, d, event, webhook, { body });
    } finally {
      this.sendSlots.release();
      const a = record?.attempt;
      perWebhook?.release(a ? { ok: record!.status === 'SUCCEEDED', durationMs: a.durationMs } : undefined);
    }
    sent();
    // The result counts against the write backlog until it is durable.
    if (!this.released) await this.writer.add(record);
  }

  /** A batch of results is durable: tell subscribers, schedule retries, drop stale webhook rows. */
  private written(batch: readonly AttemptRecord[]): void {
    const now = new Date();
    this.deps.events?.deliveriesUpdated(batch.map((r) => snapshotOf(r, now)));
    for (const r of batch) if (r.status === 'PENDING' && r.nextAttemptAt) this.wakeAt(r.nextAttemptAt);
    if (batch.some((r) => r.gone)) this.deps.webhooks.clear();
    if (this.running) this.deps.handoffRoom?.(this.held.handoffBudget());
  }
}
