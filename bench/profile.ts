import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Connection } from 'mysql2/promise';
import type { SendRequest, SendResult } from '../src/delivery/sender';
import type { Hookline } from '../src/main';

/** MariaDB/MySQL server counters read before and after a run (SHOW GLOBAL STATUS). */
const COUNTERS = ['Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_commit', 'Innodb_data_fsyncs', 'Innodb_row_lock_waits', 'Innodb_row_lock_time'] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

export async function readServerCounters(c: Connection): Promise<Counters> {
  const [rows] = await c.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTERS.map(() => '?').join(', ')})`, [...COUNTERS]);
  const out = Object.fromEntries(COUNTERS.map((k) => [k, 0])) as Counters;
  for (const r of rows as { Variable_name: string; Value: string }[]) out[r.Variable_name as keyof Counters] = Number(r.Value);
  return out;
}

/** Where one Hookline run spent its time and how much it asked of the database. */
export interface DbProfile {
  /** Per delivery, server-wide, minus the bench's own probes. */
  perDelivery: { statements: number; selects: number; inserts: number; updates: number; commits: number; fsyncs: number };
  rowLockWaits: number;
  claim: Span;
  record: Span;
  send: Span;
  /** Share of wall time the bench's event loop was busy (1 = CPU-bound on one core). */
  eventLoopUtilization: number;
}

/** Calls of one engine step: how many, rows per call, and summed/mean wall ms of a call. */
export interface Span {
  calls: number;
  rowsPerCall: number;
  meanMs: number;
  totalMs: number;
}

class Tally {
  calls = 0;
  rows = 0;
  ms = 0;
  span(): Span {
    return { calls: this.calls, rowsPerCall: this.calls ? this.rows / this.calls : 0, meanMs: this.calls ? this.ms / this.calls : 0, totalMs: this.ms };
  }
}

/**
 * Times the engine's three steps — claim, send, record — by wrapping the repository methods and the
 * worker's sender in place. Reaches into the worker's private `deps`: a bench-only probe, kept here
 * so that src/ carries no instrumentation for it.
 */
export function profileEngine(hookline: Hookline) {
  const repo = hookline.engine.repo;
  const worker = hookline.engine.worker as unknown as { deps: { send: (r: SendRequest) => Promise<SendResult> } } | undefined;
  if (!worker) throw new Error('profiling needs a worker role');
  const claim = new Tally();
  const record = new Tally();
  const send = new Tally();
  const origClaim = repo.claim.bind(repo);
  const origRecord = repo.record.bind(repo);
  const origSend = worker.deps.send;
  repo.claim = async (...args) => {
    const t = performance.now();
    const r = await origClaim(...args);
    claim.calls++;
    claim.rows += r.length;
    claim.ms += performance.now() - t;
    return r;
  };
  repo.record = async (...args) => {
    const t = performance.now();
    const r = await origRecord(...args);
    record.calls++;
    record.rows += args[0].length;
    record.ms += performance.now() - t;
    return r;
  };
  worker.deps.send = async (req) => {
    const t = performance.now();
    const r = await origSend(req);
    send.calls++;
    send.rows++;
    send.ms += performance.now() - t;
    return r;
  };
  const elu: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    /** `ownQueries`: statements the bench itself sent meanwhile (completion polls, status reads). */
    finish(deliveries: number, before: Counters, after: Counters, ownQueries: number): DbProfile {
      const d = (k: keyof Counters) => after[k] - before[k];
      const per = (v: number) => v / deliveries;
      return {
        perDelivery: {
          statements: per(d('Questions') - ownQueries),
          selects: per(d('Com_select') - ownQueries),
          inserts: per(d('Com_insert')),
          updates: per(d('Com_update')),
          commits: per(d('Com_commit')),
          fsyncs: per(d('Innodb_data_fsyncs')),
        },
        rowLockWaits: d('Innodb_row_lock_waits'),
        claim: claim.span(),
        record: record.span(),
        send: send.span(),
        eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
      };
    },
  };
}
