import { AdaptiveLimit } from './adaptive-limit';

/**
 * How many times its usual room (send slots and claimed-and-waiting) the worker takes of what this
 * process publishes, globally and for a webhook whose limit has grown (it answers fast): fresh rows
 * handed over need no claim and no read back, and wait here for a slot only a moment longer than
 * claimed ones would. @default 3
 */
const HANDOFF_DEPTH = 3;

/**
 * What one worker holds and has not sent yet (waiting for a slot or sending, hand-over reservations
 * included), in all and per webhook, and each webhook's adaptive send limit, which sets its room:
 * its limit sending and as many again waiting.
 */
export class Holdings {
  private count = 0;
  private readonly perWebhook = new Map<string, number>();
  private readonly limits = new Map<string, AdaptiveLimit>();

  constructor(
    /** Held at most for claims: send slots plus one claim batch. */
    private readonly max: number,
    private readonly opts: { perWebhookConcurrency: number; concurrency: number },
  ) {}

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

  /** Whether a row handed over at publish fits: deeper room, and for a webhook only once it proved fast. */
  fitsHandoff(webhookId: string | null): boolean {
    if (this.count >= this.max * HANDOFF_DEPTH) return false;
    if (!webhookId) return true;
    const deeper = this.limit(webhookId).limit > this.opts.perWebhookConcurrency ? HANDOFF_DEPTH : 1;
    return (this.perWebhook.get(webhookId) ?? 0) < this.room(webhookId) * deeper;
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
