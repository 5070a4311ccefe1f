import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { loadConfig } from '../src/config';
import { bootstrap, Hookline } from '../src/main';
import { paced, PhaseResult, Workload } from './baselines';
import { Deadline, findPids, pollUntil, startCpu } from './measure';
import { DbProfile, profileEngine } from './profile';
import type { BenchReceiver } from './receiver';

/** The MariaDB/MySQL server: BENCH_MYSQL_URL, default root on 127.0.0.1:3306. */
const SERVER_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

/**
 * Engine settings for the run; any HOOKLINE_* in the environment overrides them. Per-webhook
 * concurrency keeps its default: it adapts, so the one-webhook run shows what a user gets.
 */
function engineEnv(concurrency: number): Record<string, string> {
  const own = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith('HOOKLINE_') && v !== undefined)) as Record<string, string>;
  return {
    HOOKLINE_WORKER_CONCURRENCY: String(concurrency),
    ...own,
  };
}

/** Hookline results: the shared columns plus the publish rate and what the engine did. */
export interface HooklineResult extends PhaseResult {
  publishMs: number;
  events: number;
  profile?: DbProfile;
}

/**
 * One Hookline run on a fresh MariaDB database: bootstrap (worker role, no HTTP), one account,
 * `webhooks` webhooks to the receiver, then N deliveries' worth of events published in batches
 * through the domain service. Done when all N delivery rows are SUCCEEDED in the database — each with
 * its attempt row — as counted by a separate connection. The database is dropped afterwards.
 */
export async function hooklineRun(opts: {
  receiver: BenchReceiver;
  workload: Workload;
  /** Deliveries wanted; events = n / webhooks. */
  n: number;
  webhooks: number;
  concurrency: number;
  deadline: Deadline;
  ratePerSecond?: number;
  profile?: boolean;
}): Promise<HooklineResult> {
  const name = `hookline_bench_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(SERVER_URL);
  let hookline: Hookline | undefined;
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const config = loadConfig({
      DATABASE_URL: `${SERVER_URL}/${name}`,
      LOG_LEVEL: 'silent',
      HOOKLINE_ROLE: 'worker',
      HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
      ...engineEnv(opts.concurrency),
    });
    hookline = await bootstrap(config, { print: () => undefined });
    const { services } = hookline;
    const account = await services.accounts.create('bench');
    for (let i = 0; i < opts.webhooks; i++) {
      await services.webhooks.create(account.id, null, { name: `bench ${i + 1}`, url: opts.receiver.url, events: [opts.workload.type] });
    }
    const events = Math.ceil(opts.n / opts.webhooks);
    const deliveries = events * opts.webhooks;
    await admin.query(`USE \`${name}\``);
    const probe = opts.profile ? profileEngine(hookline) : undefined;
    await opts.receiver.reset(opts.ratePerSecond !== undefined);
    const cpu = startCpu(opts.receiver.pid, findPids(['mariadbd', 'mysqld']));
    const t0 = performance.now();
    const published = paced(events, opts.ratePerSecond, opts.deadline, async (count) => {
      await services.events.publish(
        account.id,
        Array.from({ length: count }, () => ({ type: opts.workload.type, payload: opts.workload.payload })),
      );
    }).then(() => performance.now());
    // The completion check runs beside publishing; a rejected publish ends the run at once.
    const failure = published.then(() => new Promise<never>(() => undefined));
    const end = await Promise.race([
      failure,
      pollUntil('waiting for Hookline deliveries to succeed', opts.deadline, 20, async () => {
        const [rows] = await admin.query(`SELECT status, COUNT(*) AS n FROM deliveries WHERE status IN ('SUCCEEDED', 'FAILED') GROUP BY status`);
        const by = Object.fromEntries((rows as { status: string; n: number }[]).map((r) => [r.status, Number(r.n)]));
        if (by.FAILED) throw new Error(`Hookline: ${by.FAILED} deliveries FAILED`);
        return (by.SUCCEEDED ?? 0) >= deliveries;
      }),
    ]);
    const publishedAt = await published;
    const usage = cpu();
    const [[{ attempts }]] = (await admin.query(`SELECT COUNT(*) AS attempts FROM delivery_attempts`)) as unknown as [[{ attempts: number }]];
    if (Number(attempts) < deliveries) throw new Error(`Hookline: ${attempts} attempt rows for ${deliveries} deliveries`);
    const profile = probe?.finish(deliveries);
    return { deliveries, ms: end - t0, cpu: usage, publishMs: publishedAt - t0, events, profile };
  } finally {
    await hookline?.stop();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}
