import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Nearest rank: the smallest of `sorted` (ascending) with at least p % of the values at or below it; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

/** Thrown when a phase runs past the bench's hard time cap. */
export class DeadlineExceeded extends Error {}

/** An absolute deadline (performance.now() ms) shared by every loop of one run. */
export class Deadline {
  constructor(readonly at: number) {}

  /** Throws DeadlineExceeded, naming `what`, once the cap has passed. */
  check(what: string): void {
    if (performance.now() > this.at) throw new DeadlineExceeded(`hard time cap reached while ${what}`);
  }

  /** ms left, never below 0. */
  left(): number {
    return Math.max(0, this.at - performance.now());
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` every `everyMs` until it returns true; bounded by the deadline. Returns the
 * performance.now() of the probe that saw it done, so the end of a run is not rounded up by the sleep.
 */
export async function pollUntil(what: string, deadline: Deadline, everyMs: number, probe: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await probe()) return performance.now();
    deadline.check(what);
    await sleep(everyMs);
  }
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` running at once. */
export async function runPool(n: number, concurrency: number, deadline: Deadline, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) {
      deadline.check('sending');
      await task(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every mainstream Linux). */
const USER_HZ = 100;

/** Pids of processes whose command name is one of `names` (e.g. mariadbd, redis-server); [] where /proc is absent. */
export function findPids(names: readonly string[]): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (names.includes(fs.readFileSync(`/proc/${e}/comm`, 'utf8').trim())) pids.push(Number(e));
    } catch {
      // The process ended between readdir and read.
    }
  }
  return pids;
}

/** CPU time (user + system) a process has used so far, in ms; 0 when it cannot be read. */
function procCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / USER_HZ;
  } catch {
    return 0;
  }
}

/** CPU ms used between start() and stop(): this process, the receiver process, and the store (MariaDB or Redis). */
export interface CpuSample {
  benchMs: number;
  receiverMs: number;
  storeMs: number;
}

/**
 * Starts a CPU measurement over this process, the receiver pid and the store pids; `enginePids`
 * (a Hookline server the bench process publishes to) count with this process as "bench".
 */
export function startCpu(receiverPid: number | undefined, storePids: readonly number[], enginePids: readonly number[] = []): () => CpuSample {
  const self = process.cpuUsage();
  const recv = receiverPid ? procCpuMs(receiverPid) : 0;
  const store = storePids.reduce((s, p) => s + procCpuMs(p), 0);
  const engine = enginePids.reduce((s, p) => s + procCpuMs(p), 0);
  return () => {
    const d = process.cpuUsage(self);
    return {
      benchMs: (d.user + d.system) / 1000 + enginePids.reduce((s, p) => s + procCpuMs(p), 0) - engine,
      receiverMs: (receiverPid ? procCpuMs(receiverPid) : 0) - recv,
      storeMs: storePids.reduce((s, p) => s + procCpuMs(p), 0) - store,
    };
  };
}

/**
 * The node flags a spawned Hookline gets: those `npm start` gives it (package.json, the one place
 * they are set), so the bench runs Hookline as users do. `npm run bench` gives this process the same
 * flags, so the in-process runs and the BullMQ baseline have them too.
 */
export function hooklineNodeFlags(): string[] {
  const start: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).scripts.start;
  const flags = /\bnode ((?:--\S+ )*)dist\/main\.js/.exec(start)?.[1] ?? '';
  return flags.split(' ').filter(Boolean);
}
