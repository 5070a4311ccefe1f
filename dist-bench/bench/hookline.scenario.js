"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.hooklineRun = hooklineRun;
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_perf_hooks_1 = require("node:perf_hooks");
const promise_1 = __importDefault(require("mysql2/promise"));
const config_1 = require("../src/config");
const main_1 = require("../src/main");
const baselines_1 = require("./baselines");
const measure_1 = require("./measure");
const profile_1 = require("./profile");
/** The MariaDB/MySQL server: BENCH_MYSQL_URL, default root on 127.0.0.1:3306. */
const SERVER_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
/** Events per publish call, as a producer batching its writes would. @default 500 */
const PUBLISH_BATCH = 500;
/**
 * Engine settings for the run; any HOOKLINE_* in the environment overrides them. Per-webhook
 * concurrency matches the worker's so that the one-webhook run is not throttled below the baselines.
 */
function engineEnv(concurrency) {
    const own = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith('HOOKLINE_') && v !== undefined));
    return {
        HOOKLINE_WORKER_CONCURRENCY: String(concurrency),
        HOOKLINE_PER_WEBHOOK_CONCURRENCY: String(concurrency),
        HOOKLINE_CLAIM_BATCH: '100',
        ...own,
    };
}
/**
 * One Hookline run on a fresh MariaDB database: bootstrap (worker role, no HTTP), one account,
 * `webhooks` webhooks to the receiver, then N deliveries' worth of events published in batches
 * through the domain service. Done when all N delivery rows are SUCCEEDED in the database — each with
 * its attempt row — as counted by a separate connection. The database is dropped afterwards.
 */
async function hooklineRun(opts) {
    const name = `hookline_bench_${process.pid}_${node_crypto_1.default.randomBytes(4).toString('hex')}`;
    const admin = await promise_1.default.createConnection(SERVER_URL);
    let hookline;
    try {
        await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        const config = (0, config_1.loadConfig)({
            DATABASE_URL: `${SERVER_URL}/${name}`,
            LOG_LEVEL: 'silent',
            HOOKLINE_ROLE: 'worker',
            HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
            ...engineEnv(opts.concurrency),
        });
        hookline = await (0, main_1.bootstrap)(config, { print: () => undefined });
        const { services } = hookline;
        const account = await services.accounts.create('bench');
        for (let i = 0; i < opts.webhooks; i++) {
            await services.webhooks.create(account.id, null, { name: `bench ${i + 1}`, url: opts.receiver.url, events: [opts.workload.type] });
        }
        const events = Math.ceil(opts.n / opts.webhooks);
        const deliveries = events * opts.webhooks;
        await admin.query(`USE \`${name}\``);
        const probe = opts.profile ? (0, profile_1.profileEngine)(hookline) : undefined;
        await opts.receiver.reset(opts.ratePerSecond !== undefined);
        const cpu = (0, measure_1.startCpu)(opts.receiver.pid, (0, measure_1.findPids)(['mariadbd', 'mysqld']));
        const t0 = node_perf_hooks_1.performance.now();
        const published = (0, baselines_1.paced)(events, opts.ratePerSecond, opts.deadline, async (count) => {
            await services.events.publish(account.id, Array.from({ length: count }, () => ({ type: opts.workload.type, payload: opts.workload.payload })));
        }).then(() => node_perf_hooks_1.performance.now());
        // The completion check runs beside publishing; a rejected publish ends the run at once.
        const failure = published.then(() => new Promise(() => undefined));
        const end = await Promise.race([
            failure,
            (0, measure_1.pollUntil)('waiting for Hookline deliveries to succeed', opts.deadline, 20, async () => {
                const [rows] = await admin.query(`SELECT status, COUNT(*) AS n FROM deliveries WHERE status IN ('SUCCEEDED', 'FAILED') GROUP BY status`);
                const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
                if (by.FAILED)
                    throw new Error(`Hookline: ${by.FAILED} deliveries FAILED`);
                return (by.SUCCEEDED ?? 0) >= deliveries;
            }),
        ]);
        const publishedAt = await published;
        const usage = cpu();
        const [[{ attempts }]] = (await admin.query(`SELECT COUNT(*) AS attempts FROM delivery_attempts`));
        if (Number(attempts) < deliveries)
            throw new Error(`Hookline: ${attempts} attempt rows for ${deliveries} deliveries`);
        const profile = probe?.finish(deliveries);
        return { deliveries, ms: end - t0, cpu: usage, publishMs: publishedAt - t0, events, profile };
    }
    finally {
        await hookline?.stop();
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.end();
    }
}
