"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const node_os_1 = __importDefault(require("node:os"));
const node_perf_hooks_1 = require("node:perf_hooks");
const ioredis_1 = __importDefault(require("ioredis"));
const promise_1 = __importDefault(require("mysql2/promise"));
const event_types_1 = require("../src/domain/event-types");
const baselines_1 = require("./baselines");
const hookline_scenario_1 = require("./hookline.scenario");
const measure_1 = require("./measure");
const receiver_1 = require("./receiver");
const report_1 = require("./report");
/**
 * Throughput of Hookline against two baselines, measured in one run on one machine against one
 * loopback receiver: raw undici (no durability) and a BullMQ + undici pipeline on Redis. Settings:
 * BENCH_N deliveries (@default 20_000), BENCH_CONCURRENCY in flight (@default 64),
 * BENCH_MAX_SECONDS hard cap for the whole run (@default 300), BENCH_FANOUT=0 skips the 4-webhook run,
 * BENCH_LATENCY_RATE deliveries/s for the latency runs (@default 500; 0 skips them),
 * BENCH_LATENCY_SECONDS of traffic per latency run (@default 5), BENCH_ROUNDS of every throughput
 * scenario, the median reported (@default 3).
 */
function setting(name, fallback, min = 0) {
    const raw = process.env[name];
    const v = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(v) || v < min)
        throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
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
async function environment() {
    const c = await promise_1.default.createConnection(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
    const [[v]] = (await c.query(`SELECT VERSION() AS version, @@innodb_flush_log_at_trx_commit AS flush`));
    await c.end();
    const redis = new ioredis_1.default(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
    const [, aof] = (await redis.config('GET', 'appendonly'));
    const [, save] = (await redis.config('GET', 'save'));
    redis.disconnect();
    return [
        `Node ${process.version}, ${node_os_1.default.cpus().length} CPUs (${node_os_1.default.cpus()[0]?.model.trim()}), ${Math.round(node_os_1.default.totalmem() / 2 ** 30)} GiB`,
        `MariaDB/MySQL ${v.version} (innodb_flush_log_at_trx_commit=${v.flush}); Redis ${version} (appendonly=${aof}, save="${save}")`,
        `load average ${node_os_1.default.loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews every figure)`,
        `N=${N} deliveries, concurrency ${CONCURRENCY}, ${ROUNDS} round(s), receiver: node:http in its own process on 127.0.0.1, 200 {} keep-alive`,
    ].join('\n');
}
async function main() {
    const deadline = new measure_1.Deadline(node_perf_hooks_1.performance.now() + MAX_SECONDS * 1000);
    const event = (0, event_types_1.findEventType)('call.queued');
    if (!event)
        throw new Error('the call.queued event type is missing from the catalog');
    const workload = { type: event.name, payload: { ...event.examplePayload } };
    console.log(await environment());
    let receiver;
    try {
        receiver = await (0, receiver_1.startBenchReceiver)();
        const base = { receiver, workload, concurrency: CONCURRENCY, deadline };
        await (0, baselines_1.rawUndici)({ ...base, n: WARMUP });
        const scenarios = [
            { label: 'A raw undici (no durability)', run: () => (0, baselines_1.rawUndici)({ ...base, n: N }) },
            { label: 'B BullMQ + undici, signed (Redis)', run: () => (0, baselines_1.bullmqPipeline)({ ...base, n: N }) },
            { label: 'C Hookline, 1 webhook (MariaDB)', run: () => (0, hookline_scenario_1.hooklineRun)({ ...base, n: N, webhooks: 1, profile: true }) },
        ];
        if (FANOUT)
            scenarios.push({ label: 'D Hookline, 4 webhooks (MariaDB)', run: () => (0, hookline_scenario_1.hooklineRun)({ ...base, n: N, webhooks: 4, profile: true }) });
        // Rounds interleave the scenarios, so that a burst of other load on the machine hits all of them alike.
        const runs = scenarios.map(() => []);
        for (let round = 1; round <= ROUNDS; round++) {
            for (const [i, s] of scenarios.entries()) {
                const r = await s.run();
                runs[i].push(r);
                console.log(`round ${round}/${ROUNDS}  ${s.label}: ${Math.round(perSecond(r))} deliveries/s`);
            }
            await checkReceived(receiver, runs.at(-1).at(-1));
        }
        const rows = scenarios.map((s, i) => ({ label: s.label, result: median(runs[i]), rounds: runs[i] }));
        console.log(`\nThroughput, median of ${ROUNDS} round(s) (higher is better)\n${(0, report_1.throughputTable)(rows, rows[0].result, rows[1].result)}`);
        for (const row of rows.slice(2))
            console.log(`\n${(0, report_1.hooklineDetails)(row.label, row.result)}`);
        console.log(`\nload average at the end: ${node_os_1.default.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
        if (LATENCY_RATE > 0) {
            const n = LATENCY_RATE * LATENCY_SECONDS;
            const latency = [];
            await (0, baselines_1.bullmqPipeline)({ ...base, n, ratePerSecond: LATENCY_RATE });
            latency.push({ label: 'BullMQ + undici', rate: LATENCY_RATE, stats: await receiver.stats() });
            await (0, hookline_scenario_1.hooklineRun)({ ...base, n, webhooks: 1, ratePerSecond: LATENCY_RATE });
            latency.push({ label: 'Hookline, 1 webhook', rate: LATENCY_RATE, stats: await receiver.stats() });
            console.log(`\nEnd-to-end latency, event created → receiver got it (lower is better)\n${(0, report_1.latencyTable)(latency)}`);
        }
    }
    finally {
        await receiver?.close();
    }
}
const perSecond = (r) => (r.deliveries / r.ms) * 1000;
/** The run with the median rate (the lower middle one for an even count). */
function median(rs) {
    return [...rs].sort((a, b) => perSecond(a) - perSecond(b))[Math.floor((rs.length - 1) / 2)];
}
/** The receiver must have seen every delivery of the last run (at least once). */
async function checkReceived(receiver, last) {
    const { count } = await receiver.stats();
    if (count < last.deliveries)
        throw new Error(`the receiver saw ${count} requests for ${last.deliveries} deliveries`);
}
// A backstop beyond the cap: if cleanup itself hangs, the process still ends.
const backstop = setTimeout(() => {
    console.error(`bench: still running ${MAX_SECONDS + 60} s after start; exiting`);
    process.exit(2);
}, (MAX_SECONDS + 60) * 1000);
backstop.unref();
main().then(() => process.exit(0), (err) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
});
