import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import IORedis from 'ioredis';
import mysql from 'mysql2/promise';
import { findEventType } from '../src/domain/event-types';
import { bullmqPipeline, PhaseResult, rawUndici, Workload } from './baselines';
import { HooklineResult, hooklineRun } from './hookline.scenario';
import { LIVE_FULL, LIVE_QUICK, liveScenario } from './live.scenario';
import { Deadline } from './measure';
import { startBenchReceiver, type BenchReceiver, type ReceiverStats } from './receiver';
import { hooklineDetails, latencyTable, Row, throughputTable } from './report';

/**
 * Throughput of Hookline against two baselines, measured in one run on one machine against one
 * loopback receiver: raw undici (no durability) and a BullMQ + undici pipeline on Redis. Settings:
 * BENCH_N deliveries (@default 20_000), BENCH_CONCURRENCY in flight (@default 64),
 * BENCH_MAX_SECONDS hard cap for the whole run (@default 300), BENCH_FANOUT=0 skips the 4-webhook run,
 * BENCH_LATENCY_RATE deliveries/s for the latency runs (@default 500; 0 skips them),
 * BENCH_LATENCY_SECONDS of traffic per latency run (@default 5), BENCH_ROUNDS of every throughput
 * scenario, the median reported (@default 3).
 */
function setting(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return v;
}

const N = setting('BENCH_N', 20_000, 1);
const CONCURRENCY = setting('BENCH_CONCURRENCY', 64, 1);
const MAX_SECONDS = setting('BENCH_MAX_SECONDS', 300, 10);
const FANOUT = setting('BENCH_FANOUT', 1) > 0;
const LATENCY_RATE = setting('BENCH_LATENCY_RATE', 500);
const LATENCY_SECONDS = setting('BENCH_LATENCY_SECONDS', 5, 1);
const ROUNDS = setting('BENCH_ROUNDS', 3, 1);
/** Requests sent before timing anything, so JIT and sockets are warm for every scenario. @default 2_000 */
const WARMUP = 2_000;

async function environment(): Promise<string> {
  const c = await mysql.createConnection(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  const [[v]] = (await c.query(`SELECT VERSION() AS version, @@innodb_flush_log_at_trx_commit AS flush`)) as unknown as [[{ version: string; flush: number }]];
  await c.end();
  const redis = new IORedis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
  const [, aof] = (await redis.config('GET', 'appendonly')) as string[];
  const [, save] = (await redis.config('GET', 'save')) as string[];
  redis.disconnect();
  return [
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `MariaDB/MySQL ${v.version} (innodb_flush_log_at_trx_commit=${v.flush}); Redis ${version} (appendonly=${aof}, save="${save}")`,
    `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews every figure)`,
    `N=${N} deliveries, concurrency ${CONCURRENCY}, ${ROUNDS} round(s), receiver: node:http in its own process on 127.0.0.1, 200 {} keep-alive`,
  ].join('\n');
}

async function main(): Promise<void> {
  const deadline = new Deadline(performance.now() + MAX_SECONDS * 1000);
  const event = findEventType('call.queued');
  if (!event) throw new Error('the call.queued event type is missing from the catalog');
  const workload: Workload = { type: event.name, payload: { ...event.examplePayload } };
  console.log(await environment());
  let receiver: BenchReceiver | undefined;
  try {
    receiver = await startBenchReceiver();
    const base = { receiver, workload, concurrency: CONCURRENCY, deadline };
    await rawUndici({ ...base, n: WARMUP });

    const scenarios: { label: string; run: () => Promise<PhaseResult> }[] = [
      { label: 'A raw undici (no durability)', run: () => rawUndici({ ...base, n: N }) },
      { label: 'B BullMQ + undici, signed (Redis)', run: () => bullmqPipeline({ ...base, n: N }) },
      { label: 'C Hookline, 1 webhook (MariaDB)', run: () => hooklineRun({ ...base, n: N, webhooks: 1, profile: true }) },
    ];
    if (FANOUT) scenarios.push({ label: 'D Hookline, 4 webhooks (MariaDB)', run: () => hooklineRun({ ...base, n: N, webhooks: 4, profile: true }) });
    // Rounds interleave the scenarios, so that a burst of other load on the machine hits all of them alike.
    const runs: PhaseResult[][] = scenarios.map(() => []);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, s] of scenarios.entries()) {
        const r = await s.run();
        runs[i].push(r);
        console.log(`round ${round}/${ROUNDS}  ${s.label}: ${Math.round(perSecond(r))} deliveries/s`);
      }
      await checkReceived(receiver, runs.at(-1)!.at(-1)!);
    }
    const rows: Row[] = scenarios.map((s, i) => ({ label: s.label, result: median(runs[i]), rounds: runs[i] }));
    console.log(`\nThroughput, median of ${ROUNDS} round(s) (higher is better)\n${throughputTable(rows, rows[0].result, rows[1].result)}`);
    for (const row of rows.slice(2)) console.log(`\n${hooklineDetails(row.label, row.result as HooklineResult)}`);
    console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    if (LATENCY_RATE > 0) {
      const n = LATENCY_RATE * LATENCY_SECONDS;
      const latency: { label: string; rate: number; stats: ReceiverStats }[] = [];
      await bullmqPipeline({ ...base, n, ratePerSecond: LATENCY_RATE });
      latency.push({ label: 'BullMQ + undici', rate: LATENCY_RATE, stats: await receiver.stats() });
      await hooklineRun({ ...base, n, webhooks: 1, ratePerSecond: LATENCY_RATE });
      latency.push({ label: 'Hookline, 1 webhook', rate: LATENCY_RATE, stats: await receiver.stats() });
      console.log(`\nEnd-to-end latency, event created → receiver got it (lower is better)\n${latencyTable(latency)}`);
    }
    // Live subscriptions vs raw ws (bench/live.scenario.ts); BENCH_LIVE=0 skips them.
    if (setting('BENCH_LIVE', 1) > 0) await liveScenario(process.argv.includes('--quick') ? LIVE_QUICK : LIVE_FULL);
  } finally {
    await receiver?.close();
  }
}

const perSecond = (r: PhaseResult) => (r.deliveries / r.ms) * 1000;

/** The run with the median rate (the lower middle one for an even count). */
function median(rs: PhaseResult[]): PhaseResult {
  return [...rs].sort((a, b) => perSecond(a) - perSecond(b))[Math.floor((rs.length - 1) / 2)];
}

/** The receiver must have seen every delivery of the last run (at least once). */
async function checkReceived(receiver: BenchReceiver, last: PhaseResult): Promise<void> {
  const { count } = await receiver.stats();
  if (count < last.deliveries) throw new Error(`the receiver saw ${count} requests for ${last.deliveries} deliveries`);
}

// A backstop beyond the cap: if cleanup itself hangs, the process still ends.
const backstop = setTimeout(() => {
  console.error(`bench: still running ${MAX_SECONDS + 60} s after start; exiting`);
  process.exit(2);
}, (MAX_SECONDS + 60) * 1000);
backstop.unref();

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
