import type { EntityManager } from 'typeorm';
import { execPositional, placeholders, runSql } from '../db/sql';
import { newId } from '../domain/ids';
import { AttemptRecord, formatSpan, HealthRules } from './types';

/** Rows per multi-row statement. */
export const CHUNK = 500;

/**
 * Writes a batch of results on one transaction: one multi-row INSERT of attempts, the delivery rows
 * (successes in one plain UPDATE per lease, the rest by CASE), then the webhook health counters.
 * Every delivery update is fenced on its lease token. Returns how many deliveries passed the fence.
 */
export async function writeResults(m: EntityManager, mysql: boolean, all: readonly AttemptRecord[], rules: HealthRules, now: Date, recheck = false): Promise<number> {
  const results = recheck ? await stillLeased(m, mysql, all) : all;
  if (!results.length) return 0;
  // Every statement is queued at once and awaited together (one wait in our code, not one per
  // statement): they touch different rows, and the connection runs them in this order.
  const writes: Promise<number>[] = [];
  const attempts = results.filter((r) => r.attempt);
  for (let i = 0; i < attempts.length; i += CHUNK) writes.push(insertAttempts(m, mysql, attempts.slice(i, i + CHUNK)).then(() => 0));
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
  for (const group of successes.values()) {
    for (let i = 0; i < group.length; i += CHUNK) writes.push(updateSucceeded(m, group.slice(i, i + CHUNK), now));
  }
  for (let i = 0; i < rest.length; i += CHUNK) writes.push(updateByCase(m, rest.slice(i, i + CHUNK), now));
  writes.push(updateWebhookHealth(m, results, rules, now).then(() => 0));
  return (await Promise.all(writes)).reduce((a, b) => a + b, 0);
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

async function insertAttempts(m: EntityManager, mysql: boolean, rs: readonly AttemptRecord[]): Promise<void> {
  const cols = ['id', 'delivery_id', 'webhook_id', 'account_id', 'number', '`trigger`', 'started_at', 'duration_ms', 'response_status', 'response_body', 'error_kind', 'error', 'next_attempt_at'];
  const params: unknown[] = [];
  for (const r of rs) {
    const a = r.attempt!;
    params.push(newId(), r.delivery.id, r.delivery.webhookId, r.delivery.accountId, a.number, a.trigger, a.startedAt, a.durationMs, a.responseStatus, a.responseBody, a.errorKind, a.error?.slice(0, 500) ?? null, r.nextAttemptAt);
  }
  const row = `(${placeholders(cols.length)})`;
  const names = mysql ? cols.join(', ') : cols.join(', ').replace('`trigger`', '"trigger"');
  await execPositional(m, `INSERT INTO delivery_attempts (${names}) VALUES ${rs.map(() => row).join(', ')}`, params);
}

/**
 * Successes that share a lease, an attempt number and a response status (the common case: a whole
 * batch answered 200 on its first attempt) differ only in their ids: one short UPDATE, no CASE.
 */
async function updateSucceeded(m: EntityManager, rs: readonly AttemptRecord[], now: Date): Promise<number> {
  const [{ delivery, attempt }] = rs;
  const r = await execPositional(
    m,
    `UPDATE deliveries SET status = 'SUCCEEDED', attempt_count = ?, next_attempt_at = NULL, last_response_status = ?, last_error = NULL,
       succeeded_at = ?, next_trigger = 'SCHEDULED', lease_token = NULL, locked_until = NULL, updated_at = ?
     WHERE lease_token = ? AND id IN (${placeholders(rs.length)})`,
    [attempt!.number, attempt!.responseStatus, now, now, delivery.leaseToken, ...rs.map((x) => x.delivery.id)],
  );
  return r.affected;
}

/** One UPDATE for the batch: per-row values by CASE, each row fenced on its own lease token. */
async function updateByCase(m: EntityManager, rs: readonly AttemptRecord[], now: Date): Promise<number> {
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
  const r = await execPositional(
    m,
    `UPDATE deliveries SET status = ${when}, attempt_count = ${when}, next_attempt_at = ${when}, last_response_status = ${when},
       last_error = ${when}, succeeded_at = ${when}, next_trigger = 'SCHEDULED', lease_token = NULL, locked_until = NULL, updated_at = ?
     WHERE id IN (${placeholders(ids.length)}) AND lease_token = ${when}`,
    [...cases.slice(0, 6).flat(), now, ...ids, ...cases[6]],
  );
  return r.affected;
}

/** Consecutive-failure streaks, 410 Gone and auto-disable, from one batch of results. */
async function updateWebhookHealth(m: EntityManager, rs: readonly AttemptRecord[], rules: HealthRules, now: Date) {
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
  if (gone.size) {
    await runSql(
      m,
      `UPDATE webhooks SET status = 'AUTO_DISABLED', disabled_reason = :reason, updated_at = :now WHERE id IN (:...ids) AND status = 'ACTIVE'`,
      { ids: [...gone], now, reason: 'The receiver answered 410 Gone' },
    );
  }
  if (ok.size) {
    await execPositional(m, `UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL WHERE id IN (${placeholders(ok.size)}) AND consecutive_failures > 0`, [...ok]);
  }
  for (const [id, n] of failed) {
    if (ok.has(id)) continue;
    await runSql(m, `UPDATE webhooks SET consecutive_failures = consecutive_failures + :n, failing_since = COALESCE(failing_since, :now) WHERE id = :id`, { id, n, now });
  }
  if (failed.size && rules.autoDisableAfterMs > 0) {
    await runSql(
      m,
      `UPDATE webhooks SET status = 'AUTO_DISABLED', disabled_reason = :reason, updated_at = :now
       WHERE id IN (:...ids) AND status = 'ACTIVE' AND consecutive_failures >= :min AND failing_since <= :cutoff`,
      {
        ids: [...failed.keys()],
        now,
        min: rules.autoDisableMinFailures,
        cutoff: new Date(now.getTime() - rules.autoDisableAfterMs),
        reason: `Every delivery failed for ${formatSpan(rules.autoDisableAfterMs)} (at least ${rules.autoDisableMinFailures} deliveries)`,
      },
    );
  }
}
