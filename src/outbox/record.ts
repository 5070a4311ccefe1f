import type { EntityManager } from 'typeorm';
import { execPositional, placeholders, type Statement } from '../db/sql';
import { newId } from '../domain/ids';
import { AttemptRecord, formatSpan, HealthRules } from './types';

/** Rows per multi-row statement. */
export const CHUNK = 500;

/** A batch's writes: the statements in order, and which of them are fenced delivery updates (their affected rows count). */
export interface ResultWrites {
  statements: Statement[];
  fenced: ReadonlySet<number>;
}

/**
 * The writes of a batch of results, for one transaction: one multi-row INSERT of attempts, the
 * delivery rows (successes in one plain UPDATE per lease, the rest by CASE), then the webhook health
 * counters. Every delivery update is fenced on its lease token. They touch different rows and read
 * nothing, so they can all go at once (Outbox.record sends them with START and COMMIT in one trip).
 */
export function resultWrites(mysql: boolean, results: readonly AttemptRecord[], rules: HealthRules, now: Date): ResultWrites {
  const statements: Statement[] = [];
  const fenced = new Set<number>();
  const attempts = results.filter((r) => r.attempt);
  for (let i = 0; i < attempts.length; i += CHUNK) statements.push(insertAttempts(mysql, attempts.slice(i, i + CHUNK)));
  const successes = new Map<string, AttemptRecord[]>();
  const rest: AttemptRecord[] = [];
  for (const r of results) {
    if (r.status !== 'SUCCEEDED' || !r.attempt) {
      rest.push(r);
      continue;
    }
    const key = `${r.delivery.leaseToken} ${r.attempt.number} ${r.attempt.responseStatus}`;
    const group = successes.get(key);
    if (group) group.push(r);
    else successes.set(key, [r]);
  }
  const delivery = (st: Statement) => {
    fenced.add(statements.length);
    statements.push(st);
  };
  for (const group of successes.values()) {
    for (let i = 0; i < group.length; i += CHUNK) delivery(updateSucceeded(group.slice(i, i + CHUNK), now));
  }
  for (let i = 0; i < rest.length; i += CHUNK) delivery(updateByCase(rest.slice(i, i + CHUNK), now));
  statements.push(...webhookHealth(results, rules, now));
  return { statements, fenced };
}

/**
 * Writes a batch of results on `m` (one transaction), the statements queued at once and awaited
 * together. `recheck` (a write tried again) first keeps only the rows still under their lease.
 * Returns how many deliveries passed the fence.
 */
export async function writeResults(m: EntityManager, mysql: boolean, all: readonly AttemptRecord[], rules: HealthRules, now: Date, recheck = false): Promise<number> {
  const results = recheck ? await stillLeased(m, mysql, all) : all;
  if (!results.length) return 0;
  const { statements, fenced } = resultWrites(mysql, results, rules, now);
  return passedFence({ statements, fenced }, await Promise.all(statements.map(async (st) => (await execPositional(m, st.sql, st.values)).affected)));
}

/** Deliveries that passed the fence: the affected rows of a batch's fenced updates. */
export function passedFence(writes: ResultWrites, affected: readonly number[]): number {
  return affected.reduce((n, a, i) => n + (writes.fenced.has(i) ? a : 0), 0);
}

/**
 * The results whose rows still hold their lease, rows locked until commit. Used when a write is tried
 * again: the earlier try may have committed with its answer lost, and its attempt rows must not be
 * inserted twice (the fenced UPDATE alone would only skip the delivery row).
 */
async function stillLeased(m: EntityManager, mysql: boolean, rs: readonly AttemptRecord[]): Promise<AttemptRecord[]> {
  const held = new Set<string>();
  for (let i = 0; i < rs.length; i += CHUNK) {
    const part = rs.slice(i, i + CHUNK);
    const { records } = await execPositional(
      m,
      `SELECT id, lease_token FROM deliveries WHERE id IN (${placeholders(part.length)})${mysql ? ' FOR UPDATE' : ''}`,
      part.map((r) => r.delivery.id),
    );
    for (const row of records) held.add(`${row.id} ${row.lease_token}`);
  }
  return rs.filter((r) => held.has(`${r.delivery.id} ${r.delivery.leaseToken}`));
}

function insertAttempts(mysql: boolean, rs: readonly AttemptRecord[]): Statement {
  const cols = ['id', 'delivery_id', 'webhook_id', 'account_id', 'number', '`trigger`', 'started_at', 'duration_ms', 'response_status', 'response_body', 'error_kind', 'error', 'next_attempt_at'];
  const params: unknown[] = [];
  for (const r of rs) {
    const a = r.attempt!;
    params.push(newId(), r.delivery.id, r.delivery.webhookId, r.delivery.accountId, a.number, a.trigger, a.startedAt, a.durationMs, a.responseStatus, a.responseBody, a.errorKind, a.error?.slice(0, 500) ?? null, r.nextAttemptAt);
  }
  const row = `(${placeholders(cols.length)})`;
  const names = mysql ? cols.join(', ') : cols.join(', ').replace('`trigger`', '"trigger"');
  return { sql: `INSERT INTO delivery_attempts (${names}) VALUES ${rs.map(() => row).join(', ')}`, values: params };
}

/**
 * Successes that share a lease, an attempt number and a response status (the common case: a whole
 * batch answered 200 on its first attempt) differ only in their ids: one short UPDATE, no CASE.
 */
function updateSucceeded(rs: readonly AttemptRecord[], now: Date): Statement {
  const [{ delivery, attempt }] = rs;
  return {
    sql: `UPDATE deliveries SET status = 'SUCCEEDED', attempt_count = ?, next_attempt_at = NULL, last_response_status = ?, last_error = NULL,
       succeeded_at = ?, next_trigger = 'SCHEDULED', lease_token = NULL, locked_until = NULL, updated_at = ?
     WHERE lease_token = ? AND id IN (${placeholders(rs.length)})`,
    values: [attempt!.number, attempt!.responseStatus, now, now, delivery.leaseToken, ...rs.map((x) => x.delivery.id)],
  };
}

/** One UPDATE for the batch: per-row values by CASE, each row fenced on its own lease token. */
function updateByCase(rs: readonly AttemptRecord[], now: Date): Statement {
  const cases: unknown[][] = [[], [], [], [], [], [], []];
  for (const r of rs) {
    const id = r.delivery.id;
    const values = [
      r.status,
      r.attempt ? r.attempt.number : r.delivery.attemptCount,
      r.nextAttemptAt,
      r.attempt?.responseStatus ?? null,
      r.lastError?.slice(0, 500) ?? null,
      r.status === 'SUCCEEDED' ? now : null,
      r.delivery.leaseToken,
    ];
    values.forEach((v, i) => cases[i].push(id, v));
  }
  const when = `CASE id ${rs.map(() => 'WHEN ? THEN ?').join(' ')} END`;
  const ids = rs.map((r) => r.delivery.id);
  return {
    sql: `UPDATE deliveries SET status = ${when}, attempt_count = ${when}, next_attempt_at = ${when}, last_response_status = ${when},
       last_error = ${when}, succeeded_at = ${when}, next_trigger = 'SCHEDULED', lease_token = NULL, locked_until = NULL, updated_at = ?
     WHERE id IN (${placeholders(ids.length)}) AND lease_token = ${when}`,
    values: [...cases.slice(0, 6).flat(), now, ...ids, ...cases[6]],
  };
}

/** Consecutive-failure streaks, 410 Gone and auto-disable, from one batch of results. */
function webhookHealth(rs: readonly AttemptRecord[], rules: HealthRules, now: Date): Statement[] {
  const ok = new Set<string>();
  const failed = new Map<string, number>();
  const gone = new Set<string>();
  for (const r of rs) {
    const id = r.delivery.webhookId;
    if (!id || !r.attempt) continue;
    if (r.gone) gone.add(id);
    if (r.status === 'SUCCEEDED') ok.add(id);
    else if (r.status === 'FAILED') failed.set(id, (failed.get(id) ?? 0) + 1);
  }
  const out: Statement[] = [];
  if (gone.size) {
    out.push({
      sql: `UPDATE webhooks SET status = 'AUTO_DISABLED', disabled_reason = ?, updated_at = ? WHERE id IN (${placeholders(gone.size)}) AND status = 'ACTIVE'`,
      values: ['The receiver answered 410 Gone', now, ...gone],
    });
  }
  if (ok.size) {
    out.push({ sql: `UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL WHERE id IN (${placeholders(ok.size)}) AND consecutive_failures > 0`, values: [...ok] });
  }
  for (const [id, n] of failed) {
    if (ok.has(id)) continue;
    out.push({ sql: `UPDATE webhooks SET consecutive_failures = consecutive_failures + ?, failing_since = COALESCE(failing_since, ?) WHERE id = ?`, values: [n, now, id] });
  }
  if (failed.size && rules.autoDisableAfterMs > 0) {
    out.push({
      sql: `UPDATE webhooks SET status = 'AUTO_DISABLED', disabled_reason = ?, updated_at = ?
       WHERE id IN (${placeholders(failed.size)}) AND status = 'ACTIVE' AND consecutive_failures >= ? AND failing_since <= ?`,
      values: [
        `Every delivery failed for ${formatSpan(rules.autoDisableAfterMs)} (at least ${rules.autoDisableMinFailures} deliveries)`,
        now,
        ...failed.keys(),
        rules.autoDisableMinFailures,
        new Date(now.getTime() - rules.autoDisableAfterMs),
      ],
    });
  }
  return out;
}
