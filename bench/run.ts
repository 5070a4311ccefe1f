import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import IORedis from 'ioredis';
import mysql from 'mysql2/promise';
import { findEventType } from '../src/domain/event-types';
import { rawUndici, Workload } from './baselines';
import { deliveryScenario } from './delivery.scenario';
import { ingestScenario } from './ingest.scenario';
import { liveScenario } from './live.scenario';
import { Deadline } from './measure';
import { startBenchReceiver, type BenchReceiver } from './receiver';
import { Metric, Scenario, setting } from './scenario';

/**
 * The benchmarks, measured in one run on one machine against one loopback receiver; each scenario
 * prints its tables and returns metrics, printed last as one JSON line each. `--quick` runs every
 * scenario small (well under 2 minutes in all) with the same metrics. Settings common to all:
 * BENCH_CONCURRENCY in flight (@default 64), BENCH_MAX_SECONDS hard cap for the whole run
 * (@default 600; 170 with --quick); each scenario documents its own.
 */
const QUICK = process.argv.includes('--quick');
const CONCURRENCY = setting('BENCH_CONCURRENCY', 64, 1);
const MAX_SECONDS = setting('BENCH_MAX_SECONDS', QUICK ? 170 : 600, 10);
/** Requests sent before timing anything, so JIT and sockets are warm for every scenario. @default 2_000 */
const WARMUP = 2_000;

/** Every scenario, in order. A new one is a file under bench/ exporting a Scenario, added here. */
const SCENARIOS: Scenario[] = [deliveryScenario, ingestScenario, liveScenario];

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
    `concurrency ${CONCURRENCY}${QUICK ? ', --quick' : ''}, receiver: node:http in its own process on 127.0.0.1, 200 {} keep-alive`,
  ].join('\n');
}

async function main(): Promise<void> {
  const deadline = new Deadline(performance.now() + MAX_SECONDS * 1000);
  const event = findEventType('call.queued');
  if (!event) throw new Error('the call.queued event type is missing from the catalog');
  const workload: Workload = { type: event.name, payload: { ...event.examplePayload } };
  console.log(await environment());
  let receiver: BenchReceiver | undefined;
  const metrics: Metric[] = [];
  try {
    receiver = await startBenchReceiver();
    const ctx = { quick: QUICK, receiver, workload, concurrency: CONCURRENCY, deadline };
    await rawUndici({ ...ctx, n: WARMUP });
    for (const s of SCENARIOS) {
      console.log(`\n== ${s.name}`);
      metrics.push(...(await s.run(ctx)));
    }
  } finally {
    await receiver?.close();
  }
  console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  for (const m of metrics) console.log(JSON.stringify(m));
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
