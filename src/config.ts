import { z } from 'zod';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from './delivery/retry-policy';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every setting Hookline reads, with its default. Units are in the names (…Ms, …Seconds). */
const schema = z.object({
  /** `mysql://user:pass@host:3306/db`, or a SQLite file path (`sqlite:./data/x.db` or a bare path). @default ./data/hookline.sqlite */
  DATABASE_URL: z.string().min(1).default('./data/hookline.sqlite'),
  /** HTTP and WebSocket port; 0 picks a free one. @default 4000 */
  PORT: int(0, 65_535).default(4000),
  /** Interface to listen on. @default 127.0.0.1 */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** all = API + workers; api = GraphQL only; worker = delivery engine only. @default all */
  HOOKLINE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /** pino level. @default info */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Comma-separated browser origins allowed by CORS; empty = none (same-origin only). */
  HOOKLINE_CORS_ORIGINS: z.string().default(''),
  /** Allow webhook targets on loopback/private networks (development and tests only). @default false */
  HOOKLINE_ALLOW_PRIVATE_TARGETS: bool.default('false'),
  /** base64 of 32 bytes; when set, webhook secrets are encrypted at rest (AES-256-GCM). */
  HOOKLINE_MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes')
    .optional(),
  /** Retry delays after attempt 1, 2, …, e.g. `1s,5s,30s`; beyond the list the last one doubles up to 24 h. @default 1m,5m,15m,1h */
  HOOKLINE_RETRY_SCHEDULE: z
    .string()
    .transform((v, ctx) => {
      try {
        return parseRetrySchedule(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  /** Redis for cross-process pub/sub (live subscriptions); unset = in-process only. */
  REDIS_URL: z.string().url().optional(),
  /** Role all on MySQL/MariaDB: run the delivery engine on a thread of its own (a second core), not on the API's event loop. @default true (SQLite: always off) */
  HOOKLINE_DELIVERY_THREAD: bool.default('true'),
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
  HOOKLINE_AUTO_DISABLE_AFTER_HOURS: z.coerce.number().min(0).max(10_000).default(120),
  /** Minimum consecutive failed deliveries before auto-disable. @default 20 */
  HOOKLINE_AUTO_DISABLE_MIN_FAILURES: int(1, 1_000_000).default(20),
  /** Max request body for /graphql (bytes). @default 5000000 */
  HOOKLINE_MAX_BODY_BYTES: int(1024, 100_000_000).default(5_000_000),
  /** Put stack traces (`extensions.stacktrace`) in error responses; never in production. @default false */
  HOOKLINE_DEBUG_ERRORS: bool.default('false'),
  /** Days events, finished deliveries and attempts are kept before the worker prunes them; 0 = keep forever. @default 30 */
  HOOKLINE_RETENTION_DAYS: int(0, 36_500).default(30),
  /** Requests per second per API key, per process (bursts up to 2×); 0 = no limit. Above what one process serves on a small machine, so it only stops a runaway client. @default 10000 */
  HOOKLINE_KEY_REQUESTS_PER_SECOND: int(0, 1_000_000).default(10_000),
  /** Events published per second per API key, per process (bursts up to 2×, at least 500); 0 = no limit. @default 20000 */
  HOOKLINE_KEY_EVENTS_PER_SECOND: int(0, 10_000_000).default(20_000),
  /** Open graphql-ws sockets per API key, per process; 0 = no limit. @default 10000 */
  HOOKLINE_KEY_MAX_SOCKETS: int(0, 1_000_000).default(10_000),
});

export type RawConfig = z.infer<typeof schema>;

/** The typed, validated configuration. */
export interface Config extends Omit<RawConfig, 'HOOKLINE_RETRY_SCHEDULE'> {
  retryScheduleMs: readonly number[];
  corsOrigins: string[];
  database: { type: 'mysql'; url: string } | { type: 'better-sqlite3'; path: string };
}

/** Raised at start when an environment variable is unknown or invalid; the message names it. */
export class ConfigError extends Error {}

/**
 * Reads and validates configuration. Unknown `HOOKLINE_*` variables fail (a typo must not be silently
 * ignored), and so does any bad value, naming the variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = new Set(Object.keys(schema.shape));
  const unknown = Object.keys(env).filter((k) => k.startsWith('HOOKLINE_') && !known.has(k));
  if (unknown.length) throw new ConfigError(`Unknown environment variable ${unknown.join(', ')}`);
  const input: Record<string, string> = {};
  for (const k of known) {
    const v = env[k];
    if (v !== undefined && v !== '') input[k] = v;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid environment: ${msg}`);
  }
  const { HOOKLINE_RETRY_SCHEDULE, ...raw } = parsed.data;
  const url = raw.DATABASE_URL;
  const database: Config['database'] = /^mysql:\/\//i.test(url)
    ? { type: 'mysql', url }
    : { type: 'better-sqlite3', path: url.replace(/^sqlite:(\/\/)?/i, '') };
  return {
    ...raw,
    retryScheduleMs: HOOKLINE_RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE_MS,
    corsOrigins: raw.HOOKLINE_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    database,
  };
}
