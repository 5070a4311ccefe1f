"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.bodyOf = bodyOf;
exports.rawUndici = rawUndici;
exports.bullmqPipeline = bullmqPipeline;
exports.paced = paced;
const node_perf_hooks_1 = require("node:perf_hooks");
const bullmq_1 = require("bullmq");
const undici_1 = require("undici");
const signing_1 = require("../src/domain/signing");
const ids_1 = require("../src/domain/ids");
const measure_1 = require("./measure");
/** The JSON body Hookline would send for this payload (same shape and size as its envelope). */
function bodyOf(w, id = (0, ids_1.newId)(), at = new Date()) {
    return JSON.stringify({ id, type: w.type, timestamp: at.toISOString(), data: w.payload });
}
/**
 * Baseline A: N POSTs of one body through a keep-alive undici Agent, `concurrency` at a time.
 * No signing, no storage: the upper bound the loopback receiver allows on this machine.
 */
async function rawUndici(opts) {
    const agent = new undici_1.Agent({ connections: opts.concurrency, keepAliveTimeout: 60_000 });
    const body = bodyOf(opts.workload);
    const headers = { 'content-type': 'application/json' };
    let failed = 0;
    try {
        await opts.receiver.reset();
        const cpu = (0, measure_1.startCpu)(opts.receiver.pid, []);
        const t0 = node_perf_hooks_1.performance.now();
        await (0, measure_1.runPool)(opts.n, opts.concurrency, opts.deadline, async () => {
            const res = await (0, undici_1.request)(opts.receiver.url, { dispatcher: agent, method: 'POST', headers, body });
            await res.body.text();
            if (res.statusCode !== 200)
                failed++;
        });
        const ms = node_perf_hooks_1.performance.now() - t0;
        const usage = cpu();
        if (failed)
            throw new Error(`raw undici: ${failed} requests were not answered 200`);
        return { deliveries: opts.n, ms, cpu: usage };
    }
    finally {
        await agent.close();
    }
}
/** Redis the BullMQ baseline uses: BENCH_REDIS_URL, default 127.0.0.1:6379. */
function redisConnection() {
    const u = new URL(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
    // BullMQ workers block on Redis; ioredis must not give up on a blocked command.
    return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
}
/** Jobs per addBulk call, the same as Hookline's publish batch. @default 500 */
const ADD_BATCH = 500;
/**
 * Baseline B: what teams hand-roll — a BullMQ Queue and a Worker (same concurrency) on Redis; each
 * job builds the envelope, signs it (the same Standard Webhooks HMAC Hookline uses) and POSTs it with
 * undici. Jobs keep BullMQ's defaults except 5 attempts with exponential backoff; completed jobs stay
 * in Redis (BullMQ's default), the closest thing it has to an attempt log. Measured from the first
 * addBulk to the last `completed` event. With `ratePerSecond`, adds at that pace and tracks latency.
 */
async function bullmqPipeline(opts) {
    const connection = redisConnection();
    const name = `hookline-bench-${process.pid}-${Date.now()}`;
    const agent = new undici_1.Agent({ connections: opts.concurrency, keepAliveTimeout: 60_000 });
    const secret = (0, signing_1.generateSecret)();
    const queue = new bullmq_1.Queue(name, { connection });
    let completed = 0;
    let failed = 0;
    const worker = new bullmq_1.Worker(name, async (job) => {
        const at = new Date(job.data.timestamp);
        const body = bodyOf(opts.workload, job.data.id, at);
        const headers = {
            'content-type': 'application/json',
            ...(0, signing_1.signatureHeaders)({ id: job.data.id, timestampSec: Math.floor(Date.now() / 1000), body, secrets: [secret] }),
        };
        const res = await (0, undici_1.request)(opts.receiver.url, { dispatcher: agent, method: 'POST', headers, body });
        await res.body.text();
        if (res.statusCode < 200 || res.statusCode >= 300)
            throw new Error(`HTTP ${res.statusCode}`);
        return { status: res.statusCode };
    }, { connection, concurrency: opts.concurrency });
    worker.on('completed', () => completed++);
    worker.on('failed', () => failed++);
    try {
        await worker.waitUntilReady();
        await opts.receiver.reset(opts.ratePerSecond !== undefined);
        const cpu = (0, measure_1.startCpu)(opts.receiver.pid, (0, measure_1.findPids)(['redis-server']));
        const t0 = node_perf_hooks_1.performance.now();
        const jobs = (count) => Array.from({ length: count }, () => ({
            name: opts.workload.type,
            data: { id: (0, ids_1.newId)(), type: opts.workload.type, timestamp: new Date().toISOString(), payload: opts.workload.payload },
            opts: { attempts: 5, backoff: { type: 'exponential', delay: 1_000 } },
        }));
        await paced(opts.n, opts.ratePerSecond, opts.deadline, (count) => queue.addBulk(jobs(count)).then(() => undefined));
        const end = await (0, measure_1.pollUntil)('waiting for BullMQ jobs to complete', opts.deadline, 5, async () => {
            if (failed)
                throw new Error(`BullMQ: ${failed} jobs failed`);
            return completed >= opts.n;
        });
        return { deliveries: completed, ms: end - t0, cpu: cpu() };
    }
    finally {
        await worker.close();
        await queue.obliterate({ force: true });
        await queue.close();
        await agent.close();
    }
}
/**
 * Calls `emit(count)` until `n` items went out: back to back in batches of ADD_BATCH, or, with a
 * rate, in 10 ms ticks of rate/100 items each (the producer of a live system).
 */
async function paced(n, ratePerSecond, deadline, emit) {
    const tickMs = 10;
    const perTick = ratePerSecond ? Math.max(1, Math.round((ratePerSecond * tickMs) / 1000)) : ADD_BATCH;
    const t0 = node_perf_hooks_1.performance.now();
    for (let sent = 0, tick = 0; sent < n; tick++) {
        deadline.check('producing');
        const count = Math.min(perTick, n - sent);
        await emit(count);
        sent += count;
        if (ratePerSecond) {
            const wait = t0 + (tick + 1) * tickMs - node_perf_hooks_1.performance.now();
            if (wait > 0)
                await (0, measure_1.sleep)(wait);
        }
    }
}
