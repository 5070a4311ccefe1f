import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import mysql from 'mysql2/promise';
import { findEventType } from '../src/domain/event-types';
import { closedLoop, LoadResult } from './load';
import { Deadline, startCpu } from './measure';
import { startBenchReceiver, type BenchReceiver } from './receiver';
import { Metric, Scenario, setting } from './scenario';

/** The MariaDB/MySQL server: BENCH_MYSQL_URL, default root on 127.0.0.1:3306. */
const SERVER_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
/** Concurrent keep-alive clients of every phase (the issue's figure). */
const CLIENTS = 64;
/** Length of each measured phase, and of the warm-up before it (ms). */
const PHASE_MS = { full: 4_000, quick: 1_500 };
const WARMUP_MS = { full: 1_000, quick: 500 };
const PUBLISH = 'mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }';

/** The three request kinds measured in one run against one Hookline process. */
export interface IngestResult {
  anonymous: Phase;
  authenticated: Phase;
  publish: Phase;
}

/** A phase's load figures and the Hookline server's CPU time per request (ms): steadier than rates on a busy machine. */
export type Phase = LoadResult & { serverCpuMsPerRequest: number };

/** A publish body of about 1 KB: the catalog's call.queued example, padded with a note. */
function publishBody(): string {
  const example = findEventType('call.queued')!.examplePayload;
  const payload = { ...example, note: '' };
  payload.note = 'x'.repeat(Math.max(0, 1_000 - JSON.stringify(payload).length));
  return JSON.stringify({ query: PUBLISH, variables: { i: { type: 'call.queued', payload } } });
}

/** Spawns `node dist-bench/src/main.js` (role all: it delivers while it ingests); resolves with its URL and the printed key. */
function spawnHookline(env: Record<string, string>, nodeArgs: string[]) {
  const main = path.join(__dirname, '..', 'src', 'main.js');
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HOOKLINE_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|REDIS_URL$)/.test(k)));
  const own = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('HOOKLINE_'))) as Record<string, string>;
  const proc = spawn(process.execPath, [...nodeArgs, main], { env: { ...base, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, ...own }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = new Promise<{ url: string; key: string }>((resolve, reject) => {
    let key = '';
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      key ||= /\b(hk_live_[A-Za-z0-9_-]+)/.exec(line)?.[1] ?? '';
      const m = /listening: GraphQL (http:\/\/\S+)\/graphql/.exec(line);
      if (m) resolve({ url: m[1], key });
    });
    void exited.then(() => reject(new Error('the Hookline server exited before listening')));
  });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  return { ready, stop, pid: proc.pid };
}

/**
 * The API path through HTTP, one run, one Hookline process on a fresh MariaDB database (role all,
 * one webhook to the bench receiver, so it delivers what it accepts): anonymous `{ __typename }`,
 * the same with an API key, and single-event publishEvent, each from CLIENTS closed-loop clients in
 * this (separate) process. BENCH_INGEST_CPU_PROF=<dir> runs the server under `node --cpu-prof`.
 */
export async function ingestRun(opts: { receiver: BenchReceiver; quick: boolean; deadline: Deadline }): Promise<IngestResult> {
  const name = `hookline_bench_ingest_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(SERVER_URL);
  const profDir = process.env.BENCH_INGEST_CPU_PROF;
  let server: ReturnType<typeof spawnHookline> | undefined;
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    server = spawnHookline(
      {
        DATABASE_URL: `${SERVER_URL}/${name}`,
        HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
        // One key drives every client: per-key limits as high as they go, so the bench measures the path, not the limiter.
        HOOKLINE_KEY_REQUESTS_PER_SECOND: '1000000',
        HOOKLINE_KEY_EVENTS_PER_SECOND: '10000000',
      },
      profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
    );
    const { url, key } = await server.ready;
    const endpoint = `${url}/graphql`;
    const auth = { authorization: `Bearer ${key}` };
    const created = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({
        query: 'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }',
        variables: { i: { name: 'bench', url: opts.receiver.url, events: ['call.queued'] } },
      }),
    });
    if (!created.ok) throw new Error(`createWebhook failed: ${await created.text()}`);
    await opts.receiver.reset();
    const mode = opts.quick ? 'quick' : 'full';
    const typename = JSON.stringify({ query: '{ __typename }' });
    const publish = publishBody();
    const phase = async (headers: Record<string, string>, body: string): Promise<Phase> => {
      opts.deadline.check('ingest warm-up');
      await closedLoop({ url: endpoint, headers, body: () => body, clients: CLIENTS, durationMs: WARMUP_MS[mode] });
      opts.deadline.check('ingest phase');
      const cpu = startCpu(server!.pid, []);
      const r = await closedLoop({ url: endpoint, headers, body: () => body, clients: CLIENTS, durationMs: PHASE_MS[mode] });
      return { ...r, serverCpuMsPerRequest: cpu().receiverMs / r.requests };
    };
    const anonymous = await phase({}, typename);
    const authenticated = await phase(auth, typename);
    const publishResult = await phase(auth, publish);
    const [[{ n }]] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.events`)) as unknown as [[{ n: number }]];
    if (Number(n) < publishResult.requests) throw new Error(`ingest: ${n} events stored for ${publishResult.requests} acknowledged publishes`);
    return { anonymous, authenticated, publish: publishResult };
  } finally {
    await server?.stop();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

const fmt = (v: number, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The ingest table. */
export function ingestTable(r: IngestResult): string {
  const rows: [string, Phase][] = [
    ['{ __typename } without a key', r.anonymous],
    ['{ __typename } with a key', r.authenticated],
    ['publishEvent, one ~1 KB event, 1 webhook', r.publish],
  ];
  const lines = [`Ingest through HTTP, ${CLIENTS} keep-alive clients per phase, one Hookline process (role all)`];
  lines.push('request                                   requests/s   vs anonymous   p50 ms   p99 ms   server CPU µs/request');
  for (const [label, x] of rows) {
    lines.push(
      `${label.padEnd(40)}  ${fmt(x.perSecond).padStart(10)}   ${`${fmt(x.perSecond / r.anonymous.perSecond, 2)}×`.padStart(12)}   ${fmt(x.p50Ms, 1).padStart(6)}   ${fmt(x.p99Ms, 1).padStart(6)}   ${fmt(x.serverCpuMsPerRequest * 1000).padStart(21)}`,
    );
  }
  return lines.join('\n');
}

/** The ingest scenario's two metrics. */
export function ingestMetrics(r: IngestResult): Metric[] {
  const ratio = (x: LoadResult) => Math.round((x.perSecond / r.anonymous.perSecond) * 1000) / 1000;
  return [
    { metric: 'auth_vs_anonymous', ratio: ratio(r.authenticated), authenticated: Math.round(r.authenticated.perSecond), anonymous: Math.round(r.anonymous.perSecond) },
    { metric: 'publish_vs_anonymous', ratio: ratio(r.publish), p99_ms: Math.round(r.publish.p99Ms * 10) / 10, publish: Math.round(r.publish.perSecond), anonymous: Math.round(r.anonymous.perSecond) },
  ];
}

/** E: the API path through HTTP (BENCH_INGEST=0 skips it). */
export const ingestScenario: Scenario = {
  name: 'E ingest through HTTP: anonymous, authenticated, publishEvent',
  async run(ctx) {
    if (setting('BENCH_INGEST', 1) === 0) return [];
    const r = await ingestRun(ctx);
    console.log(ingestTable(r));
    return ingestMetrics(r);
  },
};

// Standalone, for profiling: `node dist-bench/bench/ingest.scenario.js [--quick]`.
if (require.main === module) {
  (async () => {
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const receiver = await startBenchReceiver();
    try {
      const r = await ingestRun({ receiver, quick: process.argv.includes('--quick'), deadline: new Deadline(performance.now() + 300_000) });
      console.log(ingestTable(r));
      for (const m of ingestMetrics(r)) console.log(JSON.stringify(m));
    } finally {
      await receiver.close();
    }
  })().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
