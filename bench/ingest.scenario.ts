import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import mysql from 'mysql2/promise';
import { findEventType } from '../src/domain/event-types';
import { closedLoop, keepAliveAgent, LoadResult } from './load';
import { Deadline, hooklineNodeFlags, pollUntil, startCpu } from './measure';
import { startBenchReceiver, type BenchReceiver } from './receiver';
import { Metric, Scenario, setting } from './scenario';

/** The MariaDB/MySQL server: BENCH_MYSQL_URL, default root on 127.0.0.1:3306. */
const SERVER_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
/** Concurrent keep-alive clients of every phase (the issue's figure). */
const CLIENTS = 64;
/** Length of each measured phase, and of the warm-up before it (ms). */
const PHASE_MS = { full: 4_000, quick: 1_500 };
const WARMUP_MS = { full: 1_000, quick: 500 };
/**
 * A first, unmeasured pass over the three kinds before the rounds (ms each): the publish path is
 * slow for its first seconds (JIT, the engine's adaptive limit, InnoDB's first pages), and the
 * kind measured first would otherwise carry all of that.
 */
const PRIME_MS = { full: 3_000, quick: 500 };
const PUBLISH = 'mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }';

/** The three request kinds, measured back to back against one Hookline process: one round. */
export interface IngestRound {
  anonymous: Phase;
  authenticated: Phase;
  publish: Phase;
}

/** Every round of one run, in order (each kind's figures are read as the median over rounds). */
export interface IngestResult {
  rounds: IngestRound[];
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
export function spawnHookline(env: Record<string, string>, nodeArgs: string[]) {
  const main = path.join(__dirname, '..', 'src', 'main.js');
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HOOKLINE_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|REDIS_URL$)/.test(k)));
  const own = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('HOOKLINE_'))) as Record<string, string>;
  const proc = spawn(process.execPath, [...hooklineNodeFlags(), ...nodeArgs, main], { env: { ...base, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, ...own }, stdio: ['ignore', 'pipe', 'inherit'] });
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
 * this (separate) process; after a priming pass, BENCH_ROUNDS rounds of the three in turn
 * (@default 3; 1 with --quick). BENCH_INGEST_CPU_PROF=<dir> runs the server under `node --cpu-prof`.
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
    // Every stored event has one delivery: until the receiver has them all, the server is still at work
    // on earlier publishes, and the next phase would share the machine with that backlog.
    const caughtUp = () =>
      pollUntil('ingest deliveries catching up', opts.deadline, 50, async () => {
        const [[{ n }]] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.events`)) as unknown as [[{ n: number }]];
        return (await opts.receiver.stats()).count >= Number(n);
      });
    // The measured phase runs on the warm-up's connections: keep-alive clients connect once, and 64
    // connections opened at the same instant would put their setup (some 100 ms each here) into the p99.
    const phase = async (headers: Record<string, string>, body: string): Promise<Phase> => {
      const agent = keepAliveAgent(CLIENTS);
      try {
        opts.deadline.check('ingest warm-up');
        await closedLoop({ url: endpoint, headers, body: () => body, clients: CLIENTS, durationMs: WARMUP_MS[mode], agent });
        await caughtUp();
        opts.deadline.check('ingest phase');
        const cpu = startCpu(server!.pid, []);
        const r = await closedLoop({ url: endpoint, headers, body: () => body, clients: CLIENTS, durationMs: PHASE_MS[mode], agent });
        // The server's CPU until it has delivered what the phase published (publishing's share of the engine).
        await caughtUp();
        return { ...r, serverCpuMsPerRequest: cpu().receiverMs / r.requests };
      } finally {
        await agent.close();
      }
    };
    for (const [headers, body] of [[{}, typename], [auth, typename], [auth, publish]] as const) {
      opts.deadline.check('ingest priming');
      await closedLoop({ url: endpoint, headers, body: () => body, clients: CLIENTS, durationMs: PRIME_MS[mode] });
    }
    await caughtUp();
    const [[before]] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.events`)) as unknown as [[{ n: number }]];
    const rounds: IngestRound[] = [];
    for (let i = 0; i < setting('BENCH_ROUNDS', opts.quick ? 1 : 3, 1); i++) {
      const anonymous = await phase({}, typename);
      const authenticated = await phase(auth, typename);
      rounds.push({ anonymous, authenticated, publish: await phase(auth, publish) });
    }
    const [[after]] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.events`)) as unknown as [[{ n: number }]];
    const acknowledged = rounds.reduce((n, r) => n + r.publish.requests, 0);
    if (Number(after.n) - Number(before.n) < acknowledged) throw new Error(`ingest: ${Number(after.n) - Number(before.n)} events stored for ${acknowledged} acknowledged publishes`);
    return { rounds };
  } finally {
    await server?.stop();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

const fmt = (v: number, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

type Kind = keyof IngestRound;

/** A kind's figures as the median over rounds (each figure on its own). */
function medianPhase(r: IngestResult, kind: Kind): Phase {
  const of = (f: (p: Phase) => number) => median(r.rounds.map((x) => f(x[kind])));
  return { requests: of((p) => p.requests), ms: of((p) => p.ms), perSecond: of((p) => p.perSecond), p50Ms: of((p) => p.p50Ms), p99Ms: of((p) => p.p99Ms), serverCpuMsPerRequest: of((p) => p.serverCpuMsPerRequest) };
}

/** A kind's rate ÷ the anonymous rate of the same round, median over rounds. */
function medianRatio(r: IngestResult, kind: Kind): number {
  return median(r.rounds.map((x) => x[kind].perSecond / x.anonymous.perSecond));
}

/** The ingest table: medians over rounds, then every round's rates. */
export function ingestTable(r: IngestResult): string {
  const rows: [string, Kind][] = [
    ['{ __typename } without a key', 'anonymous'],
    ['{ __typename } with a key', 'authenticated'],
    ['publishEvent, one ~1 KB event, 1 webhook', 'publish'],
  ];
  const lines = [`Ingest through HTTP, ${CLIENTS} keep-alive clients per phase, one Hookline process (role all), median of ${r.rounds.length} round(s)`];
  lines.push('request                                   requests/s   vs anonymous   p50 ms   p99 ms   server CPU µs/request   every round (requests/s)');
  for (const [label, kind] of rows) {
    const x = medianPhase(r, kind);
    lines.push(
      `${label.padEnd(40)}  ${fmt(x.perSecond).padStart(10)}   ${`${fmt(medianRatio(r, kind), 2)}×`.padStart(12)}   ${fmt(x.p50Ms, 1).padStart(6)}   ${fmt(x.p99Ms, 1).padStart(6)}   ${fmt(x.serverCpuMsPerRequest * 1000).padStart(21)}   ${r.rounds.map((round) => fmt(round[kind].perSecond)).join(', ')}`,
    );
  }
  return lines.join('\n');
}

/** The ingest scenario's two metrics: ratios to the anonymous rate of the same round, median over rounds. */
export function ingestMetrics(r: IngestResult): Metric[] {
  const ratio = (kind: Kind) => Math.round(medianRatio(r, kind) * 1000) / 1000;
  const anonymous = Math.round(medianPhase(r, 'anonymous').perSecond);
  const publish = medianPhase(r, 'publish');
  return [
    { metric: 'auth_vs_anonymous', ratio: ratio('authenticated'), authenticated: Math.round(medianPhase(r, 'authenticated').perSecond), anonymous },
    { metric: 'publish_vs_anonymous', ratio: ratio('publish'), p99_ms: Math.round(publish.p99Ms * 10) / 10, publish: Math.round(publish.perSecond), anonymous },
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
