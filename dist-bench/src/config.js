"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = void 0;
exports.loadConfig = loadConfig;
const zod_1 = require("zod");
const retry_policy_1 = require("./delivery/retry-policy");
const bool = zod_1.z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min, max) => zod_1.z.coerce.number().int().min(min).max(max);
/** Every setting Hookline reads, with its default. Units are in the names (…Ms, …Seconds). */
const schema = zod_1.z.object({
    /** `mysql://user:pass@host:3306/db`, or a SQLite file path (`sqlite:./data/x.db` or a bare path). @default ./data/hookline.sqlite */
    DATABASE_URL: zod_1.z.string().min(1).default('./data/hookline.sqlite'),
    /** HTTP and WebSocket port; 0 picks a free one. @default 4000 */
    PORT: int(0, 65_535).default(4000),
    /** Interface to listen on. @default 127.0.0.1 */
    HOST: zod_1.z.string().min(1).default('127.0.0.1'),
    /** all = API + workers; api = GraphQL only; worker = delivery engine only. @default all */
    HOOKLINE_ROLE: zod_1.z.enum(['all', 'api', 'worker']).default('all'),
    /** pino level. @default info */
    LOG_LEVEL: zod_1.z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Comma-separated browser origins allowed by CORS; empty = none (same-origin only). */
    HOOKLINE_CORS_ORIGINS: zod_1.z.string().default(''),
    /** Allow webhook targets on loopback/private networks (development and tests only). @default false */
    HOOKLINE_ALLOW_PRIVATE_TARGETS: bool.default('false'),
    /** base64 of 32 bytes; when set, webhook secrets are encrypted at rest (AES-256-GCM). */
    HOOKLINE_MASTER_KEY: zod_1.z
        .string()
        .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes')
        .optional(),
    /** Retry delays after attempt 1, 2, …, e.g. `1s,5s,30s`; beyond the list the last one doubles up to 24 h. @default 1m,5m,15m,1h */
    HOOKLINE_RETRY_SCHEDULE: zod_1.z
        .string()
        .transform((v, ctx) => {
        try {
            return (0, retry_policy_1.parseRetrySchedule)(v);
        }
        catch (e) {
            ctx.addIssue({ code: 'custom', message: e.message });
            return zod_1.z.NEVER;
        }
    })
        .optional(),
    /** Redis for cross-process pub/sub (live subscriptions); unset = in-process only. */
    REDIS_URL: zod_1.z.string().url().optional(),
    /** Deliveries one worker process sends at the same time. @default 64 */
    HOOKLINE_WORKER_CONCURRENCY: int(1, 10_000).default(64),
    /** Deliveries claimed per claim query. @default 100 */
    HOOKLINE_CLAIM_BATCH: int(1, 10_000).default(100),
    /** Fallback poll for due deliveries when nothing woke the worker (ms). @default 1000 */
    HOOKLINE_POLL_INTERVAL_MS: int(10, 600_000).default(1000),
    /** How long a claim holds a delivery before another worker may reclaim it (ms); must exceed the largest webhook timeout. @default 180000 */
    HOOKLINE_LEASE_MS: int(1000, 3_600_000).default(180_000),
    /** In-flight deliveries per webhook per worker process, so one slow receiver cannot starve the rest. @default 16 */
    HOOKLINE_PER_WEBHOOK_CONCURRENCY: int(1, 1000).default(16),
    /** On SIGTERM, how long in-flight attempts may finish before their leases are released (ms). @default 10000 */
    HOOKLINE_SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
    /** A webhook failing every delivery for this many hours (and at least the minimum count) is AUTO_DISABLED; 0 = never. @default 120 (5 days) */
    HOOKLINE_AUTO_DISABLE_AFTER_HOURS: zod_1.z.coerce.number().min(0).max(10_000).default(120),
    /** Minimum consecutive failed deliveries before auto-disable. @default 20 */
    HOOKLINE_AUTO_DISABLE_MIN_FAILURES: int(1, 1_000_000).default(20),
    /** Max request body for /graphql (bytes). @default 5000000 */
    HOOKLINE_MAX_BODY_BYTES: int(1024, 100_000_000).default(5_000_000),
});
/** Raised at start when an environment variable is unknown or invalid; the message names it. */
class ConfigError extends Error {
}
exports.ConfigError = ConfigError;
/**
 * Reads and validates configuration. Unknown `HOOKLINE_*` variables fail (a typo must not be silently
 * ignored), and so does any bad value, naming the variable.
 */
function loadConfig(env = process.env) {
    const known = new Set(Object.keys(schema.shape));
    const unknown = Object.keys(env).filter((k) => k.startsWith('HOOKLINE_') && !known.has(k));
    if (unknown.length)
        throw new ConfigError(`Unknown environment variable ${unknown.join(', ')}`);
    const input = {};
    for (const k of known) {
        const v = env[k];
        if (v !== undefined && v !== '')
            input[k] = v;
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
        const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new ConfigError(`Invalid environment: ${msg}`);
    }
    const { HOOKLINE_RETRY_SCHEDULE, ...raw } = parsed.data;
    const url = raw.DATABASE_URL;
    const database = /^mysql:\/\//i.test(url)
        ? { type: 'mysql', url }
        : { type: 'better-sqlite3', path: url.replace(/^sqlite:(\/\/)?/i, '') };
    return {
        ...raw,
        retryScheduleMs: HOOKLINE_RETRY_SCHEDULE ?? retry_policy_1.DEFAULT_RETRY_SCHEDULE_MS,
        corsOrigins: raw.HOOKLINE_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
        database,
    };
}
