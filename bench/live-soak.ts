import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { Clients, gql, payload, QUERY, SERVER_URL, TYPE } from './live.scenario';
import { command, endChild, forkChild, HooklineProcess, spawnHooklineProcess } from './live-procs';
import { sleep } from './measure';

/**
 * Webhooks beside live subscribers (issue 13's soak): one Hookline process (default role, MariaDB),
 * one webhook to the loopback receiver, SOAK_SUBSCRIBERS graphql-ws subscribers of the same type
 * (@default 100), and `publishEvents` of 50 events every 100 ms (500 events/s) for SOAK_SECONDS
 * (@default 60). Prints the rate actually published, webhook deliveries received 5 s after the end,
 * the backlog in seconds of events, and live messages received.
 * Run: `npx tsc -p tsconfig.bench.json && node dist-bench/bench/live-soak.js`.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const SUBSCRIBERS = Number(process.env.SOAK_SUBSCRIBERS ?? 100);
const BATCH = 50;
const TICK_MS = 100;

async function main(): Promise<void> {
  const name = `hookline_bench_soak_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(SERVER_URL);
  let hookline: HooklineProcess | undefined;
  let clients: Clients | undefined;
  const receiver = await forkChild<{ port: number }>('receiver.child.js', 'listening');
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    hookline = await spawnHooklineProcess({ DATABASE_URL: `${SERVER_URL}/${name}`, HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' });
    const h = hookline;
    await gql(h, `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`, { i: { name: 'soak', url: `http://127.0.0.1:${receiver.hello.port}/hook`, events: [TYPE] } });
    clients = await Clients.start();
    if (SUBSCRIBERS) await clients.connect(`${h.url.replace(/^http/, 'ws')}/graphql`, SUBSCRIBERS, { token: h.token, query: QUERY });
    await sleep(1_000);
    await command(receiver.child, { cmd: 'reset', trackLatency: false });
    await clients.all('reset');
    const t0 = performance.now();
    let published = 0;
    for (let tick = 0; performance.now() - t0 < SECONDS * 1000; tick++) {
      await gql(h, `mutation($i: [PublishEventInput!]!) { publishEvents(inputs: $i) { id } }`, { i: Array.from({ length: BATCH }, () => ({ type: TYPE, payload: payload() })) });
      published += BATCH;
      const wait = t0 + (tick + 1) * TICK_MS - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const seconds = (performance.now() - t0) / 1000;
    await sleep(5_000);
    const { count } = await command<{ count: number }>(receiver.child, { cmd: 'stats' });
    const live = await clients.stats();
    const rate = published / seconds;
    console.log(`soak ${SECONDS} s, ${SUBSCRIBERS} subscribers: published ${published} (${rate.toFixed(0)} events/s); webhook deliveries 5 s after the end ${count}, backlog ${((published - count) / rate).toFixed(2)} s of events; live messages ${live.received} of ${published * SUBSCRIBERS}; Hookline peak RSS ${h.peakRssMb()} MB`);
    console.log(JSON.stringify({ metric: 'live_soak_webhook_backlog_s', value: Math.round(((published - count) / rate) * 100) / 100, events_per_s: Math.round(rate), subscribers: SUBSCRIBERS }));
  } finally {
    await clients?.end();
    await endChild(receiver.child);
    await hookline?.stop();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
