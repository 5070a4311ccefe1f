/** Window mean below which a saturated webhook may have more in flight (ms). @default 250 */
export const GROW_BELOW_MS = 250;
/** Window mean above which a webhook counts as slow and gets fewer in flight (ms). @default 1_000 */
export const SLOW_ABOVE_MS = 1_000;

/** How one send ended, as the limit learns from it. */
export interface SendOutcome {
  ok: boolean;
  durationMs: number;
}

/**
 * Sends in flight to one webhook: a semaphore whose size adapts (AIMD). It starts at `initial`;
 * after each window of `limit` sends that kept it full, it grows by a quarter while the receiver
 * answers fast (window mean under GROW_BELOW_MS) and without errors, up to `max`. Errors halve it
 * (down to 1); a slow window (mean over SLOW_ABOVE_MS) cuts it by a quarter, but not below
 * `initial`, so a busy receiver that is merely slow keeps the configured share. One slow or failing
 * receiver thus holds few of the process's send slots, and a fast one is not capped at a fixed 16.
 */
export class AdaptiveLimit {
  private active = 0;
  private current: number;
  private readonly waiters: (() => void)[] = [];
  private done = 0;
  private errors = 0;
  private totalMs = 0;
  private saturated = false;
  private lastMeanMs?: number;

  constructor(
    private readonly initial: number,
    private readonly max: number,
  ) {
    this.current = Math.min(initial, max);
  }

  /** Mean answer time of the last full window of sends (ms); undefined before the first. */
  get meanMs(): number | undefined {
    return this.lastMeanMs;
  }

  /** Sends allowed in flight right now. */
  get limit(): number {
    return this.current;
  }

  /** Resolves when a slot is held; call release() exactly once afterwards. */
  acquire(): Promise<void> {
    if (this.active < this.current) {
      this.active++;
      if (this.active >= this.current) this.saturated = true;
      return Promise.resolve();
    }
    this.saturated = true;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Frees a slot; `outcome` (absent when nothing was sent) teaches the limit. */
  release(outcome?: SendOutcome): void {
    this.active--;
    if (outcome) this.learn(outcome);
    while (this.active < this.current && this.waiters.length) {
      this.active++;
      this.waiters.shift()!();
    }
    // Sends waiting, or every slot taken: the limit is what holds this webhook back.
    if (this.waiters.length || this.active >= this.current) this.saturated = true;
  }

  private learn({ ok, durationMs }: SendOutcome): void {
    this.done++;
    this.totalMs += durationMs;
    if (!ok) this.errors++;
    if (this.done < this.current) return;
    const mean = this.totalMs / this.done;
    this.lastMeanMs = mean;
    if (this.errors) this.current = Math.max(1, Math.floor(this.current / 2));
    else if (mean > SLOW_ABOVE_MS) this.current = Math.max(Math.min(this.initial, this.current), Math.floor(this.current * 0.75));
    else if (this.saturated && mean < GROW_BELOW_MS) this.current = Math.min(this.max, this.current + Math.max(1, Math.floor(this.current / 4)));
    this.done = this.errors = this.totalMs = 0;
    this.saturated = this.active >= this.current;
  }
}
