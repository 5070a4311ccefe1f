import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { SendRequest, SendResult } from '../src/delivery/sender';
import type { Hookline } from '../src/main';

/** Where one Hookline run spent its time and how much it asked of the database. */
export interface DbProfile {
  /** Statements Hookline sent per delivery (publishing included), by kind. */
  perDelivery: { statements: number; selects: number; inserts: number; updates: number; transactions: number };
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

/** Statement kinds counted, by the first keyword. */
type Kind = 'select' | 'insert' | 'update' | 'transactions' | 'other';

function kindOf(sql: string): Kind {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  if (word === 'SELECT') return 'select';
  if (word === 'INSERT') return 'insert';
  if (word === 'UPDATE') return 'update';
  if (word === 'START' || word === 'BEGIN') return 'transactions';
  return 'other';
}

/**
 * Times the engine's three steps — claim, send, record — by wrapping the repository methods and the
 * worker's sender in place, and counts the statements Hookline's DataSource sends (through its
 * logger, which TypeORM calls for every query). Client-side on purpose: the server's counters
 * also count whatever else runs on the same MariaDB. Reaches into the worker's private `deps`: a
 * bench-only probe, kept here so that src/ carries no instrumentation for it.
 */
export function profileEngine(hookline: Hookline) {
  const repo = hookline.engine.outbox;
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
    claim.rows += r.claimed.length;
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
  const statements: Record<Kind, number> = { select: 0, insert: 0, update: 0, transactions: 0, other: 0 };
  const logger = hookline.ds.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    statements[kindOf(query)]++;
    return logQuery(query, parameters, runner);
  };
  const elu: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    finish(deliveries: number): DbProfile {
      const per = (v: number) => v / deliveries;
      const all = Object.values(statements).reduce((a, b) => a + b, 0);
      return {
        perDelivery: {
          statements: per(all),
          selects: per(statements.select),
          inserts: per(statements.insert),
          updates: per(statements.update),
          transactions: per(statements.transactions),
        },
        claim: claim.span(),
        record: record.span(),
        send: send.span(),
        eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
      };
    },
  };
}
