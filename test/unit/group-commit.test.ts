import { GroupCommit } from '../../src/domain/group-commit';
import { pollUntil } from '../helpers/poll';

/** A run function that records each group and can be held open until released. */
function recorder(opts: { fails?: (items: number[]) => boolean } = {}) {
  const groups: number[][] = [];
  const gates: (() => void)[] = [];
  const run = async (items: number[]) => {
    groups.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (opts.fails?.(items)) throw new Error(`bad group ${items.join(',')}`);
    return items.map((i) => i * 10);
  };
  /** Lets every running group finish, until nothing more is waiting. */
  const drain = async () => {
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setImmediate(r));
      const open = gates.splice(0);
      if (!open.length) return;
      open.forEach((g) => g());
    }
  };
  return { groups, run, drain };
}

describe('GroupCommit', () => {
  it('an idle committer starts the first item at once, and items arriving meanwhile share the next group', async () => {
    const r = recorder();
    const gc = new GroupCommit<number, number>({ run: r.run, size: () => 1, maxSize: 100, maxInFlight: 1 });
    const first = gc.submit(1);
    expect(r.groups).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((i) => gc.submit(i));
    await r.drain();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(r.groups).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('never runs more groups at once than maxInFlight, nor more weight in one group than maxSize', async () => {
    const r = recorder();
    const gc = new GroupCommit<number, number>({ run: r.run, size: (i) => i, maxSize: 5, maxInFlight: 2 });
    const all = [1, 1, 2, 3, 4, 9].map((i) => gc.submit(i));
    expect(r.groups).toEqual([[1], [1]]);
    await r.drain();
    await Promise.all(all);
    // A single item heavier than maxSize still runs, alone.
    expect(r.groups).toEqual([[1], [1], [2, 3], [4], [9]]);
  });

  it('a group that fails runs each item alone: only the bad item fails, every other caller gets its own result', async () => {
    const r = recorder({ fails: (items) => items.includes(3) });
    const gc = new GroupCommit<number, number>({ run: r.run, size: () => 1, maxSize: 100, maxInFlight: 1 });
    const settled = Promise.allSettled([1, 2, 3, 4].map((i) => gc.submit(i)));
    await r.drain();
    const out = await settled;
    expect(out.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([10, 20, 'bad group 3', 40]);
    expect(r.groups).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('with overlapAfterMs, a second group starts only once the running one has taken that long', async () => {
    const r = recorder();
    const startedAt: number[] = [];
    const run = (items: number[]) => {
      startedAt.push(Date.now());
      return r.run(items);
    };
    const gc = new GroupCommit<number, number>({ run, size: () => 1, maxSize: 100, maxInFlight: 2, overlapAfterMs: 40 });
    const first = gc.submit(1);
    const waiting = [2, 3].map((i) => gc.submit(i));
    // While the first group runs, the rest waits for it, then starts beside it once it has run 40 ms.
    await pollUntil(() => r.groups.length === 2, { timeoutMs: 5_000, intervalMs: 2 });
    expect(r.groups).toEqual([[1], [2, 3]]);
    expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(39);
    const more = gc.submit(4);
    await r.drain();
    expect(await Promise.all([first, ...waiting, more])).toEqual([10, 20, 30, 40]);
    expect(r.groups).toEqual([[1], [2, 3], [4]]);
  });
});
