"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DeliveryRepository = void 0;
exports.snapshotOf = snapshotOf;
exports.formatSpan = formatSpan;
const data_source_1 = require("../db/data-source");
const sql_1 = require("../db/sql");
const ids_1 = require("../domain/ids");
/** The state a recorded result leaves its delivery in, as subscribers see it. */
function snapshotOf(r, now) {
    const d = r.delivery;
    return {
        id: d.id,
        accountId: d.accountId,
        eventId: d.eventId,
        webhookId: d.webhookId,
        targetUrl: d.targetUrl,
        status: r.status,
        attemptCount: r.attempt ? r.attempt.number : d.attemptCount,
        nextAttemptAt: r.nextAttemptAt,
        lastResponseStatus: r.attempt?.responseStatus ?? null,
        lastError: r.lastError,
        succeededAt: r.status === 'SUCCEEDED' ? now : null,
        createdAt: d.createdAt,
        updatedAt: now,
    };
}
/** A span for people: `5 d`, `36 h`, `12 min`, `1.5 s`. */
function formatSpan(ms) {
    const units = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
    for (const [size, unit] of units) {
        if (ms >= size)
            return `${Number((ms / size).toFixed(1))} ${unit}`;
    }
    return `${Math.round(ms)} ms`;
}
/** Rows per multi-row statement. */
const CHUNK = 500;
/**
 * The engine's only door to the database. Claims take a lease (`lease_token`, `locked_until`); every
 * later change is fenced on that token, so a worker whose lease expired can never overwrite the
 * work of the worker that reclaimed the row.
 */
class DeliveryRepository {
    ds;
    mysql;
    constructor(ds) {
        this.ds = ds;
        this.mysql = (0, data_source_1.isMysql)(ds);
    }
    /**
     * Claims up to `limit` due deliveries, at most `room(webhookId)` of any one webhook (so a backlog of
     * one slow webhook cannot fill a claim); webhooks in `excludeWebhookIds` are not even scanned.
     * MySQL/MariaDB: `FOR UPDATE SKIP LOCKED`, so concurrent claimers never wait on or take each other's
     * rows; rows scanned but not taken are only locked until the claim commits. SQLite: the same two
     * steps in one transaction (a single writer). `scanned` tells whether more may be due now.
     */
    async claim(limit, leaseMs, opts = {}, now = new Date()) {
        const exclusions = opts.excludeWebhookIds ?? [];
        const leaseToken = (0, ids_1.newId)();
        const lockedUntil = new Date(now.getTime() + leaseMs);
        const exclude = exclusions.length ? `AND (webhook_id IS NULL OR webhook_id NOT IN (${(0, sql_1.placeholders)(exclusions.length)}))` : '';
        const cols = 'id, account_id, event_id, webhook_id, target_url, attempt_count, attempt_base, next_trigger, created_at';
        const due = `SELECT ${cols} FROM deliveries WHERE status = 'PENDING' AND next_attempt_at <= ? ${exclude} ORDER BY next_attempt_at LIMIT ${Math.floor(limit)}`;
        const take = (found) => {
            if (!opts.room)
                return found;
            const left = new Map();
            return found.filter((r) => {
                const w = r.webhook_id;
                if (!w)
                    return true;
                const n = left.get(w) ?? opts.room(w);
                left.set(w, n - 1);
                return n > 0;
            });
        };
        const step = async (m, lock) => {
            const found = (await (0, sql_1.execPositional)(m, `${due}${lock}`, [now, ...exclusions])).records;
            const taken = take(found);
            if (taken.length) {
                await (0, sql_1.execPositional)(m, `UPDATE deliveries SET status = 'IN_FLIGHT', lease_token = ?, locked_until = ?, updated_at = ? WHERE id IN (${(0, sql_1.placeholders)(taken.length)})`, [leaseToken, lockedUntil, now, ...taken.map((r) => r.id)]);
            }
            return { taken, scanned: found.length };
        };
        // READ COMMITTED: SKIP LOCKED then takes no gap locks, so claimers never wait on or deadlock
        // with each other (under REPEATABLE READ the UPDATE runs into other claimers' gap locks).
        const { taken, scanned } = this.mysql
            ? await this.ds.transaction('READ COMMITTED', (m) => step(m, ' FOR UPDATE SKIP LOCKED'))
            : await this.ds.transaction((m) => step(m, ''));
        const claimed = taken.map((r) => ({
            id: String(r.id),
            accountId: String(r.account_id),
            eventId: String(r.event_id),
            webhookId: r.webhook_id ?? null,
            targetUrl: r.target_url ?? null,
            attemptCount: Number(r.attempt_count),
            attemptBase: Number(r.attempt_base),
            nextTrigger: r.next_trigger,
            createdAt: (0, sql_1.parseDbDate)(r.created_at),
            leaseToken,
        }));
        return { claimed, scanned };
    }
    /** The events of claimed deliveries, one query, read without entity hydration (hot path). */
    async loadEvents(ids) {
        const out = new Map();
        if (!ids.length)
            return out;
        const { records } = await (0, sql_1.execPositional)(this.ds, `SELECT id, account_id, type, payload, occurred_at, idempotency_key, created_at FROM events WHERE id IN (${(0, sql_1.placeholders)(ids.length)})`, ids);
        for (const r of records) {
            out.set(String(r.id), {
                id: String(r.id),
                accountId: String(r.account_id),
                type: String(r.type),
                payload: JSON.parse(String(r.payload)),
                occurredAt: (0, sql_1.parseDbDate)(r.occurred_at),
                idempotencyKey: r.idempotency_key ?? null,
                createdAt: (0, sql_1.parseDbDate)(r.created_at),
            });
        }
        return out;
    }
    /** Returns deliveries whose lease ran out (their worker died) to PENDING, due now. */
    async reapExpiredLeases(now = new Date()) {
        const run = (m) => (0, sql_1.execSql)(m, `UPDATE deliveries SET status = 'PENDING', lease_token = NULL, locked_until = NULL, next_attempt_at = :now, updated_at = :now
       WHERE status = 'IN_FLIGHT' AND locked_until < :now`, { now });
        const r = this.mysql ? await this.ds.transaction('READ COMMITTED', run) : await run(this.ds.manager);
        return r.affected;
    }
    /** Gives leases back: rows still held by these tokens become PENDING, due after `delayMs`. */
    async release(deliveries, delayMs = 0, now = new Date()) {
        const due = new Date(now.getTime() + delayMs);
        let n = 0;
        for (const d of deliveries) {
            const r = await (0, sql_1.execSql)(this.ds, `UPDATE deliveries SET status = 'PENDING', lease_token = NULL, locked_until = NULL, next_attempt_at = :due, updated_at = :now
         WHERE id = :id AND lease_token = :token`, { now, due, id: d.id, token: d.leaseToken });
            n += r.affected;
        }
        return n;
    }
    /**
     * Writes a batch of results in one transaction: one multi-row INSERT of attempts, one fenced UPDATE
     * of the deliveries (per-row values by CASE, fenced per row on its lease token), then the webhook
     * health counters. Returns how many deliveries passed the fence.
     */
    async record(results, opts, now = new Date()) {
        if (!results.length)
            return 0;
        const write = async (m) => {
            const attempts = results.filter((r) => r.attempt);
            for (let i = 0; i < attempts.length; i += CHUNK)
                await this.insertAttempts(m, attempts.slice(i, i + CHUNK));
            let fenced = 0;
            for (let i = 0; i < results.length; i += CHUNK)
                fenced += await this.updateDeliveries(m, results.slice(i, i + CHUNK), now);
            await this.updateWebhookHealth(m, results, opts, now);
            return fenced;
        };
        return this.mysql ? this.ds.transaction('READ COMMITTED', write) : this.ds.transaction(write);
    }
    async insertAttempts(m, rs) {
        const cols = ['id', 'delivery_id', 'webhook_id', 'account_id', 'number', '`trigger`', 'started_at', 'duration_ms', 'response_status', 'response_body', 'error_kind', 'error', 'next_attempt_at'];
        const params = [];
        for (const r of rs) {
            const a = r.attempt;
            params.push((0, ids_1.newId)(), r.delivery.id, r.delivery.webhookId, r.delivery.accountId, a.number, a.trigger, a.startedAt, a.durationMs, a.responseStatus, a.responseBody, a.errorKind, a.error?.slice(0, 500) ?? null, r.nextAttemptAt);
        }
        const row = `(${(0, sql_1.placeholders)(cols.length)})`;
        const names = this.mysql ? cols.join(', ') : cols.join(', ').replace('`trigger`', '"trigger"');
        await (0, sql_1.execPositional)(m, `INSERT INTO delivery_attempts (${names}) VALUES ${rs.map(() => row).join(', ')}`, params);
    }
    /** One UPDATE for the batch: per-row values by CASE, each row fenced on its own lease token. */
    async updateDeliveries(m, rs, now) {
        const cases = [[], [], [], [], [], [], []];
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
        const r = await (0, sql_1.execPositional)(m, `UPDATE deliveries SET status = ${when}, attempt_count = ${when}, next_attempt_at = ${when}, last_response_status = ${when},
         last_error = ${when}, succeeded_at = ${when}, next_trigger = 'SCHEDULED', lease_token = NULL, locked_until = NULL, updated_at = ?
       WHERE id IN (${(0, sql_1.placeholders)(ids.length)}) AND lease_token = ${when}`, [...cases.slice(0, 6).flat(), now, ...ids, ...cases[6]]);
        return r.affected;
    }
    async updateWebhookHealth(m, rs, opts, now) {
        const ok = new Set();
        const failed = new Map();
        const gone = new Set();
        for (const r of rs) {
            const id = r.delivery.webhookId;
            if (!id || !r.attempt)
                continue;
            if (r.gone)
                gone.add(id);
            if (r.status === 'SUCCEEDED')
                ok.add(id);
            else if (r.status === 'FAILED')
                failed.set(id, (failed.get(id) ?? 0) + 1);
        }
        if (gone.size) {
            await (0, sql_1.runSql)(m, `UPDATE webhooks SET status = 'AUTO_DISABLED', disabled_reason = :reason, updated_at = :now WHERE id IN (:...ids) AND status = 'ACTIVE'`, { ids: [...gone], now, reason: 'The receiver answered 410 Gone' });
        }
        if (ok.size) {
            await (0, sql_1.runSql)(m, `UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL WHERE id IN (:...ids) AND consecutive_failures > 0`, { ids: [...ok] });
        }
        for (const [id, n] of failed) {
            if (ok.has(id))
                continue;
            await (0, sql_1.runSql)(m, `UPDATE webhooks SET consecutive_failures = consecutive_failures + :n, failing_since = COALESCE(failing_since, :now) WHERE id = :id`, { id, n, now });
        }
        if (failed.size && opts.autoDisableAfterMs > 0) {
            await (0, sql_1.runSql)(m, `UPDATE webhooks SET status = 'AUTO_DISABLED', disabled_reason = :reason, updated_at = :now
         WHERE id IN (:...ids) AND status = 'ACTIVE' AND consecutive_failures >= :min AND failing_since <= :cutoff`, {
                ids: [...failed.keys()],
                now,
                min: opts.autoDisableMinFailures,
                cutoff: new Date(now.getTime() - opts.autoDisableAfterMs),
                reason: `Every delivery failed for ${formatSpan(opts.autoDisableAfterMs)} (at least ${opts.autoDisableMinFailures} deliveries)`,
            });
        }
    }
    /** Due deliveries and the age of the oldest one (seconds), for /metrics. */
    async queueDepth(now = new Date()) {
        const [row] = await (0, sql_1.runSql)(this.ds, `SELECT COUNT(*) AS n, MIN(next_attempt_at) AS oldest FROM deliveries WHERE status = 'PENDING' AND next_attempt_at <= :now`, { now });
        const oldest = (0, sql_1.parseDbDate)(row?.oldest);
        return { due: Number(row?.n ?? 0), oldestDueAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0 };
    }
}
exports.DeliveryRepository = DeliveryRepository;
