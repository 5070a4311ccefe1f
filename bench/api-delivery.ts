import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { paced, PhaseResult, Workload } from './baselines';
import { spawnHookline } from './ingest.scenario';
import { Deadline, findPids, pollUntil, startCpu } from './measure';
import type { BenchReceiver } from './receiver';

/** The MariaDB/MySQL server: BENCH_MYSQL_URL, default root on 127.0.0.1:3306. */
const SERVER_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

/** Events published and delivered before the timed run (untimed). @default 5_000 */
const WARMUP_EVENTS = 5_000;

/**
 * Delivery through the public API, as a new user runs it: `node main.js` with `npm start`'s node
 * flags and every setting at its default except HOOKLINE_ALLOW_PRIVATE_TARGETS (the receiver is on
 * loopback), on a fresh MariaDB database, one webhook. This process publishes N events with
 * `publishEvents` over HTTP in batches of 500 (as BullMQ's addBulk), one call after the other, after
 * an untimed warm-up of WARMUP_EVENTS (at most N) published and delivered. Done when all N deliveries
 * are SUCCEEDED in the database. CPU "bench" is this process plus the Hookline server (producer and
 * engine, as BullMQ's run counts its producer and worker). BENCH_API_CPU_PROF=<dir> runs the server
 * under `node --cpu-prof`.
 */
export async function hooklineApiRun(opts: { receiver: BenchReceiver; workload: Workload; n: number; deadline: Deadline }): Promise<PhaseResult> {
  const name = `hookline_bench_api_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(SERVER_URL);
  let server: ReturnType<typeof spawnHookline> | undefined;
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    server = spawnHookline(
      // Defaults everywhere (the per-key limits too: 20,000 events/s is above this run's pace), but
      // the loopback receiver must be allowed.
      { DATABASE_URL: `${SERVER_URL}/${name}`, HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' },
      process.env.BENCH_API_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_CPU_PROF}`] : [],
    );
    const { url, key } = await server.ready;
    const endpoint = `${url}/graphql`;
    const call = async (query: string, variables: unknown) => {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await res.json()) as { errors?: unknown[] };
      if (!res.ok || json.errors) throw new Error(`Hookline API: ${JSON.stringify(json).slice(0, 500)}`);
      return json;
    };
    await call('mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }', {
      i: { name: 'bench', url: opts.receiver.url, events: [opts.workload.type] },
    });
    const input = { type: opts.workload.type, payload: opts.workload.payload };
    const publishBatch = async (count: number) => {
      await call('mutation($i: [PublishEventInput!]!) { publishEvents(inputs: $i) { id } }', { i: Array.from({ length: count }, () => input) });
    };
    const succeeded = async (): Promise<number> => {
      const [rows] = await admin.query(`SELECT status, COUNT(*) AS n FROM \`${name}\`.deliveries WHERE status IN ('SUCCEEDED', 'FAILED') GROUP BY status`);
      const by = Object.fromEntries((rows as { status: string; n: number }[]).map((r) => [r.status, Number(r.n)]));
      if (by.FAILED) throw new Error(`Hookline API: ${by.FAILED} deliveries FAILED`);
      return by.SUCCEEDED ?? 0;
    };
    // Untimed warm-up: the other scenarios run in the bench process, warm from the runs before them;
    // this one is a fresh process, whose first seconds (JIT, InnoDB's first pages) would weigh on it alone.
    const warm = Math.min(WARMUP_EVENTS, opts.n);
    await paced(warm, undefined, opts.deadline, publishBatch);
    await pollUntil('waiting for the warm-up deliveries', opts.deadline, 20, async () => (await succeeded()) >= warm);
    await opts.receiver.reset();
    const cpu = startCpu(opts.receiver.pid, findPids(['mariadbd', 'mysqld']), server.pid ? [server.pid] : []);
    const t0 = performance.now();
    const published = paced(opts.n, undefined, opts.deadline, publishBatch);
    const failure = published.then(() => new Promise<never>(() => undefined));
    const end = await Promise.race([
      failure,
      pollUntil('waiting for deliveries published through the API', opts.deadline, 20, async () => (await succeeded()) >= warm + opts.n),
    ]);
    await published;
    return { deliveries: opts.n, ms: end - t0, cpu: cpu() };
  } finally {
    await server?.stop();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}
