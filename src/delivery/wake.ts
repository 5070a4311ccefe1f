/** Wake-ups of the claim loop sooner than this ahead are left to the poll. @default 60_000 */
const WAKE_HORIZON_MS = 60_000;
/** Wake-up timers are shared per slot of this many ms. @default 50 */
const SLOT_MS = 50;

/**
 * How the claim loop sleeps: until woken (rows were queued, a slot freed), until a due time (a retry,
 * a delayed event), or for the poll interval, whichever comes first. A wake that arrives while the
 * loop is busy is kept, so the next wait returns at once.
 */
export class Waker {
  private flag = false;
  private resolve?: () => void;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  /** Due work may exist now. */
  wake(): void {
    this.flag = true;
    this.resolve?.();
  }

  /** Wakes at `at`: one timer per 50 ms slot, only for the next minute (later ones the poll finds). */
  wakeAt(at: Date): void {
    const ms = at.getTime() - Date.now();
    if (ms <= 0) return this.wake();
    if (ms > WAKE_HORIZON_MS) return;
    const slot = Math.ceil(at.getTime() / SLOT_MS) * SLOT_MS;
    if (this.timers.has(slot)) return;
    const t = setTimeout(() => {
      this.timers.delete(slot);
      this.wake();
    }, slot - Date.now());
    t.unref();
    this.timers.set(slot, t);
  }

  /** Forgets a pending wake: the loop is about to look for work anyway. */
  consume(): void {
    this.flag = false;
  }

  /** Resolves when woken or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.flag) {
      this.flag = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.resolve = () => {
        this.resolve = undefined;
        done();
      };
    }).then(() => {
      this.flag = false;
    });
  }

  /** Cancels every timed wake-up. */
  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
