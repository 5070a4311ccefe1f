/** One caller's item waiting for a group. */
interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items submitted while earlier groups are running wait and then run together, in one
 * `run` call (one transaction, one commit), so the cost of a commit is shared by every caller that
 * arrived during the previous one. No caller waits for a timer: an idle committer starts at once.
 * Each caller gets its own result; if a group fails, each of its items runs again on its own, so one
 * bad item fails alone and the others still commit.
 */
export class GroupCommit<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  /** When each running group started (ms). */
  private readonly running = new Set<number>();
  private overlapTimer?: NodeJS.Timeout;

  constructor(
    private readonly opts: {
      /** Runs a group; returns one output per item, in order. */
      run: (items: I[]) => Promise<O[]>;
      /** The weight of an item (events in it); a group holds at most `maxSize`, and at least one item. */
      size: (item: I) => number;
      maxSize: number;
      /** Groups running at once (1 where the database has a single connection). */
      maxInFlight: number;
      /**
       * A further group starts beside running ones only once the oldest has run this long (ms): groups
       * stay one at a time, as large as they come, while commits are quick, and a slow or stuck one
       * (a lock wait, an fsync stall) does not hold up everyone behind it. @default 0 (at once)
       */
      overlapAfterMs?: number;
    },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running.size < this.opts.maxInFlight && this.queue.length) {
      const now = Date.now();
      if (this.running.size && this.opts.overlapAfterMs) {
        const wait = Math.min(...this.running) + this.opts.overlapAfterMs - now;
        if (wait > 0) {
          this.overlapTimer ??= setTimeout(() => {
            this.overlapTimer = undefined;
            this.pump();
          }, wait);
          return;
        }
      }
      let size = this.opts.size(this.queue[0].item);
      let n = 1;
      while (n < this.queue.length && size + this.opts.size(this.queue[n].item) <= this.opts.maxSize) size += this.opts.size(this.queue[n++].item);
      const group = this.queue.splice(0, n);
      // A start time of its own (two groups started in the same ms still count twice).
      let started = now;
      while (this.running.has(started)) started += 0.001;
      this.running.add(started);
      void this.runGroup(group).finally(() => {
        this.running.delete(started);
        clearTimeout(this.overlapTimer);
        this.overlapTimer = undefined;
        this.pump();
      });
    }
  }

  private async runGroup(group: Waiting<I, O>[]): Promise<void> {
    try {
      const out = await this.opts.run(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(out[i]));
      return;
    } catch (err) {
      if (group.length === 1) return group[0].reject(err);
    }
    // Some item broke the group: each runs alone, `maxInFlight` at a time, and settles its own caller.
    let next = 0;
    const lane = async () => {
      while (next < group.length) {
        const w = group[next++];
        try {
          w.resolve((await this.opts.run([w.item]))[0]);
        } catch (e) {
          w.reject(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.maxInFlight, group.length) }, lane));
  }
}
