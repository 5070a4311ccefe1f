import { AdaptiveLimit } from './adaptive-limit';

/**
 * How many times its usual room (send slots and claimed-and-waiting) the worker takes of what this
 * process publishes, globally and for a webhook whose limit has grown (it answers fast), at the
 * least: fresh rows handed over need no claim and no read back. @default 3
 */
const HANDOFF_DEPTH = 3;
/**
 * Beyond that floor, the worker takes what it sends in this long at its measured pace (globally,
 * and per webhook at the webhook's limit and mean answer time), but never more than a tenth of the
 * lease, so a handed-over row waits here far less than its lease lasts. @default 1_000
 */
const HANDOFF_WAIT_MS = 1_000;
/** Rows held at most, whatever the pace (memory). @default 20_000 */
const HANDOFF_MAX = 20_000;
/** Window over which sends per second are counted (short: a burst of publishes is over in a second). @default 200 */
const PACE_WINDOW_MS = 200;

/** Sends per second over the last full window. */
class Pace {
  private windowStart = 0;
  private count = 0;
  private rate = 0;

  tick(now: number): void {
    this.roll(now);
    this.count++;
  }

  perSecond(now: number): number {
    this.roll(now);
    return this.rate;
  }

  private roll(now: number): void {
    const elapsed = now - this.windowStart;
    if (elapsed < PACE_WINDOW_MS) return;
    // A window followed by a silent one says nothing of the pace now.
    this.rate = elapsed < 2 * PACE_WINDOW_MS ? (this.count * 1000) / elapsed : 0;
    this.count = 0;
    this.windowStart = now;
  }
}

/** Holdings.handoffBudget(): room for rows handed over at publish, as of when it was taken. */
export interface HandoffBudget {
  total: number;
  webhooks: [webhookId: string, room: number][];
  fresh: number;
}

/**
 * What one worker holds and has not sent yet (waiting for a slot or sending, hand-over reservations
 * included), in all and per webhook, and each webhook's adaptive send limit, which sets its room:
 * its limit sending and as many again waiting.
 */
export class Holdings {
  private count = 0;
  private readonly perWebhook = new Map<string, number>();
  private readonly limits = new Map<string, AdaptiveLimit>();
  private readonly pace = new Pace();
  private readonly handoffWaitMs: number;

  constructor(
    /** Held at most for claims: send slots plus one claim batch. */
    private readonly max: number,
    private readonly opts: { perWebhookConcurrency: number; concurrency: number; leaseMs: number },
  ) {
    this.handoffWaitMs = Math.min(HANDOFF_WAIT_MS, opts.leaseMs / 10);
  }

  /** Held now. */
  get active(): number {
    return this.count;
  }

  /** The adaptive send limit of one webhook. */
  limit(webhookId: string): AdaptiveLimit {
    let l = this.limits.get(webhookId);
    if (!l) {
      l = new AdaptiveLimit(this.opts.perWebhookConcurrency, this.opts.concurrency);
      this.limits.set(webhookId, l);
    }
    return l;
  }

  /** Deliveries of one webhook that may be held: its send limit, and as many again waiting. */
  room(webhookId: string): number {
    return this.limit(webhookId).limit * 2;
  }

  /** What a claim may still take of this webhook. */
  left(webhookId: string): number {
    return this.room(webhookId) - (this.perWebhook.get(webhookId) ?? 0);
  }

  /** Webhooks with no room left: a claim does not even scan them. */
  full(): string[] {
    return [...this.perWebhook].filter(([id, n]) => n >= this.room(id)).map(([id]) => id);
  }

  /**
   * Whether a row handed over at publish fits: deeper room than a claim's, globally and for a webhook
   * once it proved fast (its limit grew), or as deep as HANDOFF_WAIT_MS of sending at the measured
   * pace (of all sends, and of the webhook's: its limit over its mean answer time) when that is more.
   */
  fitsHandoff(webhookId: string | null, now = Date.now()): boolean {
    return this.handoffRoom(now) > 0 && (!webhookId || this.webhookHandoffRoom(webhookId) > 0);
  }

  /** Rows a publisher may still hand over, all webhooks together. */
  handoffRoom(now = Date.now()): number {
    const pacedAll = (this.pace.perSecond(now) * this.handoffWaitMs) / 1000;
    return Math.min(HANDOFF_MAX, Math.max(this.max * HANDOFF_DEPTH, pacedAll)) - this.count;
  }

  /** Rows of one webhook a publisher may still hand over. */
  webhookHandoffRoom(webhookId: string): number {
    const limit = this.limit(webhookId);
    const room = this.room(webhookId);
    const held = this.perWebhook.get(webhookId) ?? 0;
    const grown = limit.limit > this.opts.perWebhookConcurrency;
    // Its limit of sends in flight, each taking its mean answer time: what it sends in the wait
    // (the global cap above keeps the sum of all webhooks' shares within the wait too).
    const mean = limit.meanMs;
    const paced = mean === undefined ? 0 : (limit.limit * this.handoffWaitMs) / Math.max(mean, 1);
    return Math.max(grown ? room * HANDOFF_DEPTH : room, paced) - held;
  }

  /**
   * What a publisher on another thread may hand over until it hears again: the total, each webhook
   * held now, and `fresh` for one held nowhere (its room at the default limit).
   */
  handoffBudget(now = Date.now()): HandoffBudget {
    const webhooks: [string, number][] = [];
    for (const id of this.perWebhook.keys()) webhooks.push([id, this.webhookHandoffRoom(id)]);
    for (const [id, l] of this.limits) if (!this.perWebhook.has(id) && l.limit > this.opts.perWebhookConcurrency) webhooks.push([id, this.webhookHandoffRoom(id)]);
    return { total: this.handoffRoom(now), webhooks, fresh: this.opts.perWebhookConcurrency * 2 };
  }

  /** One send ended (a pace sample). */
  sent(now = Date.now()): void {
    this.pace.tick(now);
  }

  hold(webhookId: string | null): void {
    this.count++;
    if (webhookId) this.perWebhook.set(webhookId, (this.perWebhook.get(webhookId) ?? 0) + 1);
  }

  unhold(webhookId: string | null): void {
    this.count--;
    if (!webhookId) return;
    const n = (this.perWebhook.get(webhookId) ?? 1) - 1;
    if (n > 0) this.perWebhook.set(webhookId, n);
    else this.perWebhook.delete(webhookId);
  }
}
