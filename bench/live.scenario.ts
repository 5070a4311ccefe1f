import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ChildProcess } from 'node:child_process';
import mysql from 'mysql2/promise';
import { Metric, Scenario, setting } from './scenario';
import { request } from 'undici';
import { findEventType } from '../src/domain/event-types';
import { command, endChild, forkChild, HooklineProcess, spawnHooklineProcess } from './live-procs';
import { percentile, sleep } from './measure';

/**
 * Live subscriptions against raw `ws`, in one run: Hookline (its own process, on MariaDB) streaming
 * `eventPublished` to graphql-ws subscribers held by two client processes, and a bare ws server
 * (its own process) sending the same frame to the same number of sockets held by the same clients.
 *
 * - Throughput: `events` events published back to back (4 publishers) to `small` subscribers, vs
 *   as many rounds sent back to back by the raw server; messages/s = messages ÷ (last arrival − start).
 * - Latency: 2 events/s for `seconds` to `big` subscribers, vs 2 rounds/s for `rawSeconds` (its p99
 *   rests on every frame of every round, so fewer rounds suffice); delay = arrival − the
 *   `sentAt` the publisher put in the payload just before calling publishEvent (raw: before sending).
 * - publishEvent p99 at 2/s for `seconds` with no subscriber, and during the latency run: 100 calls
 *   each in the full run, so that p99 is not simply the slowest of a few (every publish waits for
 *   a commit, and the disk's flush time varies); Hookline's peak RSS.
 */
export interface LiveSizes {
  small: number;
  big: number;
  events: number;
  seconds: number;
  rawSeconds: number;
}

export const LIVE_FULL: LiveSizes = { small: 1_000, big: 10_000, events: 200, seconds: 50, rawSeconds: 15 };
export const LIVE_QUICK: LiveSizes = { small: 200, big: 1_000, events: 50, seconds: 5, rawSeconds: 5 };

export const SERVER_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
export const TYPE = 'lead.status_changed';
export const QUERY = `subscription { eventPublished(types: ["${TYPE}"]) { id occurredAt payload } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id occurredAt } }`;
/** Loopback source addresses the clients spread their sockets over. @default 40 */
const SOURCE_HOSTS = 40;
/** Client processes; each holds an equal share of the sockets. @default 2 */
const CLIENT_PROCESSES = 2;
/** Longest wait for every message of a phase to arrive. @default 60_000 */
const DRAIN_MS = 60_000;

const now = () => performance.timeOrigin + performance.now();

/** The ~1 KB payload every event and raw frame carries (the catalog example, padded). */
export function payload(): Record<string, unknown> {
  const example = findEventType(TYPE)!.examplePayload;
  return { ...example, notes: 'n'.repeat(1024 - JSON.stringify(example).length - 40), sentAt: now() };
}

type Stats = { received: number; lastAt: number; latencies: number[]; failures: string[]; minPerSocket: number; maxPerSocket: number };

/** Both client processes as one. */
export class Clients {
  constructor(private readonly procs: ChildProcess[]) {}

  static async start(): Promise<Clients> {
    return new Clients(await Promise.all(Array.from({ length: CLIENT_PROCESSES }, async () => (await forkChild('live-clients.child.js', 'started')).child)));
  }

  async connect(url: string, count: number, auth?: { token: string; query: string }): Promise<void> {
    const share = Math.ceil(count / this.procs.length);
    await Promise.all(this.procs.map((p, i) => command(p, { cmd: 'connect', url, count: Math.min(share, count - i * share), sourceHosts: SOURCE_HOSTS, ...auth })));
  }

  async all(cmd: 'reset' | 'close'): Promise<void> {
    await Promise.all(this.procs.map((p) => command(p, { cmd })));
  }

  async stats(): Promise<Stats> {
    const each = await Promise.all(this.procs.map((p) => command<Stats>(p, { cmd: 'stats' })));
    return {
      received: each.reduce((s, e) => s + e.received, 0),
      lastAt: Math.max(...each.map((e) => e.lastAt)),
      latencies: each.flatMap((e) => e.latencies).sort((a, b) => a - b),
      failures: each.flatMap((e) => e.failures),
      minPerSocket: Math.min(...each.map((e) => e.minPerSocket)),
      maxPerSocket: Math.max(...each.map((e) => e.maxPerSocket)),
    };
  }

  /** Waits until `expected` messages arrived in all (or DRAIN_MS passed), then returns the stats. */
  async drained(expected: number): Promise<Stats> {
    const until = Date.now() + DRAIN_MS;
    for (;;) {
      const s = await this.stats();
      if (s.received >= expected || Date.now() > until || s.failures.length) return s;
      await sleep(200);
    }
  }

  async end(): Promise<void> {
    await Promise.all(this.procs.map(endChild));
  }
}

/** POSTs one GraphQL operation to Hookline as its default account; returns `data`, throws on errors. */
export async function gql<T>(h: HooklineProcess, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await request(`${h.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.body.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`Hookline answered ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function publishEvent(h: HooklineProcess): Promise<{ ms: number; event: { id: string; occurredAt: string } }> {
  const t0 = performance.now();
  const data = await gql<{ publishEvent: { id: string; occurredAt: string } }>(h, PUBLISH, { i: { type: TYPE, payload: payload() } });
  return { ms: performance.now() - t0, event: data.publishEvent };
}

/** Publishes `n` events at `perSecond`; returns each call's latency (ms). */
async function publishPaced(h: HooklineProcess, n: number, perSecond: number): Promise<number[]> {
  const t0 = performance.now();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
    ms.push((await publishEvent(h)).ms);
  }
  return ms.sort((a, b) => a - b);
}

/**
 * Publishes markers until every subscriber has heard one: then all are live. Then waits until no
 * marker is still on its way (nothing arrived for a second), so that none is counted in the run.
 */
async function untilLive(h: HooklineProcess, clients: Clients): Promise<void> {
  const until = Date.now() + DRAIN_MS;
  while ((await clients.stats()).minPerSocket < 1) {
    if (Date.now() > until) throw new Error('live bench: subscribers never all became live');
    await publishEvent(h);
    await sleep(500);
  }
  for (let seen = -1, now = (await clients.stats()).received; now !== seen; now = (await clients.stats()).received) {
    seen = now;
    await sleep(1_000);
  }
  await clients.all('reset');
}

function checked(s: Stats, expected: number, what: string): Stats {
  if (s.failures.length) throw new Error(`live bench, ${what}: ${s.failures.join('; ')}`);
  if (s.received < expected) throw new Error(`live bench, ${what}: ${s.received} of ${expected} messages arrived`);
  return s;
}

export async function liveRun(sizes: LiveSizes): Promise<Metric[]> {
  const name = `hookline_bench_live_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(SERVER_URL);
  let hookline: HooklineProcess | undefined;
  let clients: Clients | undefined;
  let raw: ChildProcess | undefined;
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    hookline = await spawnHooklineProcess({ DATABASE_URL: `${SERVER_URL}/${name}` });
    const h = hookline;
    const rawServer = await forkChild<{ port: number }>('live-raw.child.js', 'listening');
    raw = rawServer.child;
    const rawUrl = `ws://127.0.0.1:${rawServer.hello.port}`;
    clients = await Clients.start();
    const c = clients;
    const { event: sample } = await publishEvent(h);
    const frame = { id: '1', type: 'next', payload: { data: { eventPublished: { ...sample, payload: payload() } } } };
    const rawRounds = async (count: number, rounds: number, perSecond?: number) => {
      await c.connect(rawUrl, count);
      await c.all('reset');
      const t0 = now();
      await command(raw!, { cmd: 'rounds', frame, rounds, perSecond }, 'rounds');
      const s = checked(await c.drained(count * rounds), count * rounds, `raw ws to ${count}`);
      await c.all('close');
      return { ...s, t0 };
    };

    const publishAlone = await publishPaced(h, 2 * sizes.seconds, 2);

    // Throughput to `small` subscribers.
    await c.connect(`${h.url.replace(/^http/, 'ws')}/graphql`, sizes.small, { token: h.token, query: QUERY });
    await untilLive(h, c);
    let t0 = now();
    let published = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (published < sizes.events) {
        published++;
        await publishEvent(h);
      }
    }));
    const live1 = checked(await c.drained(sizes.small * sizes.events), sizes.small * sizes.events, `Hookline to ${sizes.small}`);
    const liveRate = (live1.received / (live1.lastAt - t0)) * 1000;
    await c.all('close');
    const raw1 = await rawRounds(sizes.small, sizes.events);
    const rawRate = (raw1.received / (raw1.lastAt - raw1.t0)) * 1000;

    // Latency to `big` subscribers at 2 events/s.
    await c.connect(`${h.url.replace(/^http/, 'ws')}/graphql`, sizes.big, { token: h.token, query: QUERY });
    await untilLive(h, c);
    t0 = now();
    const n = 2 * sizes.seconds;
    const publishWith = await publishPaced(h, n, 2);
    const live2 = checked(await c.drained(sizes.big * n), sizes.big * n, `Hookline to ${sizes.big}`);
    const everyOne = live2.minPerSocket === n && live2.maxPerSocket === n;
    const peakRss = h.peakRssMb();
    await c.all('close');
    const raw2 = await rawRounds(sizes.big, 2 * sizes.rawSeconds, 2);

    const p = (s: number[], q: number) => percentile(s, q).toFixed(1);
    console.log(`\nLive subscriptions: Hookline (graphql-ws, MariaDB) vs raw ws, same ~1 KB frame, same ${CLIENT_PROCESSES} client processes`);
    console.log(`  to ${sizes.small}: Hookline ${Math.round(liveRate)} messages/s (p50 ${p(live1.latencies, 50)} ms, p99 ${p(live1.latencies, 99)} ms), raw ws ${Math.round(rawRate)} messages/s (p50 ${p(raw1.latencies, 50)}, p99 ${p(raw1.latencies, 99)}) → ${(liveRate / rawRate).toFixed(2)}×`);
    console.log(`  to ${sizes.big} at 2 events/s for ${sizes.seconds} s: Hookline p50 ${p(live2.latencies, 50)} ms, p99 ${p(live2.latencies, 99)} ms; raw ws (${sizes.rawSeconds} s) p50 ${p(raw2.latencies, 50)} ms, p99 ${p(raw2.latencies, 99)} ms; every message to every subscriber: ${everyOne ? 'yes' : `no (${live2.minPerSocket}–${live2.maxPerSocket} of ${n})`}`);
    console.log(`  publishEvent at 2/s: p50 ${p(publishAlone, 50)} ms, p99 ${p(publishAlone, 99)} ms alone; p50 ${p(publishWith, 50)} ms, p99 ${p(publishWith, 99)} ms with ${sizes.big} subscribers`);
    console.log(`  Hookline peak RSS ${peakRss} MB`);
    if (process.env.BENCH_LIVE_VERBOSE) console.log(`  publishEvent ms, alone: ${publishAlone.map((v) => v.toFixed(1)).join(' ')}\n  with ${sizes.big}: ${publishWith.map((v) => v.toFixed(1)).join(' ')}`);
    return [
      { metric: `live_${sizes.small}_vs_raw_ws`, ratio: round(liveRate / rawRate), hookline_per_s: Math.round(liveRate), raw_per_s: Math.round(rawRate) },
      { metric: `live_${sizes.big}_p99_vs_raw_ws`, ratio: round(percentile(live2.latencies, 99) / percentile(raw2.latencies, 99)), hookline_ms: round(percentile(live2.latencies, 99)), raw_ms: round(percentile(raw2.latencies, 99)), all_delivered: everyOne },
      { metric: 'live_peak_rss_mb', value: peakRss, subscribers: sizes.big },
      { metric: `live_publish_p99_with_${sizes.big}_vs_none`, ratio: round(percentile(publishWith, 99) / percentile(publishAlone, 99)), with_ms: round(percentile(publishWith, 99)), none_ms: round(percentile(publishAlone, 99)) },
    ];
  } finally {
    await clients?.end();
    if (raw) await endChild(raw);
    await hookline?.stop();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

/** F: live subscriptions vs raw ws (BENCH_LIVE=0 skips them); --quick with smaller counts. */
export const liveScenario: Scenario = {
  name: 'F live subscriptions vs raw ws',
  async run(ctx) {
    if (setting('BENCH_LIVE', 1) === 0) return [];
    return liveRun(ctx.quick ? LIVE_QUICK : LIVE_FULL);
  },
};

// Standalone, for profiling: `node dist-bench/bench/live.scenario.js [--quick]`; BENCH_LIVE_SIZES=small,big,events,seconds,rawSeconds overrides the counts.
if (require.main === module) {
  const custom = process.env.BENCH_LIVE_SIZES?.split(',').map(Number);
  const sizes = custom?.length === 5 ? { small: custom[0], big: custom[1], events: custom[2], seconds: custom[3], rawSeconds: custom[4] } : process.argv.includes('--quick') ? LIVE_QUICK : LIVE_FULL;
  liveRun(sizes).then(
    (metrics) => {
      for (const m of metrics) console.log(JSON.stringify(m));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
