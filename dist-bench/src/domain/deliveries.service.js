"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DeliveryService = exports.MAX_REPLAY = void 0;
const typeorm_1 = require("typeorm");
const entities_1 = require("../db/entities");
const fan_out_1 = require("./fan-out");
const rows_1 = require("../db/rows");
const sql_1 = require("../db/sql");
const errors_1 = require("./errors");
const filters_1 = require("./filters");
const ids_1 = require("./ids");
const pagination_1 = require("./pagination");
/** Deliveries created or re-queued per replay call at most. */
exports.MAX_REPLAY = 10_000;
/** Queries over deliveries and attempts, and the operator actions that re-queue them. */
class DeliveryService {
    ds;
    webhooks;
    announce;
    constructor(ds, webhooks, announce) {
        this.ds = ds;
        this.webhooks = webhooks;
        this.announce = announce;
    }
    async get(accountId, id) {
        const d = await this.ds.getRepository(entities_1.DeliveryEntity).findOneBy({ id, accountId });
        if (!d)
            throw (0, errors_1.notFound)('Delivery', id);
        return d;
    }
    list(accountId, args) {
        const qb = this.ds.getRepository(entities_1.DeliveryEntity).createQueryBuilder('d').where('d.account_id = :accountId', { accountId });
        if (args.webhookId)
            qb.andWhere('d.webhook_id = :webhookId', { webhookId: args.webhookId });
        if (args.eventId)
            qb.andWhere('d.event_id = :eventId', { eventId: args.eventId });
        if (args.status)
            qb.andWhere('d.status = :status', { status: args.status });
        return (0, pagination_1.pageById)(qb, args);
    }
    /** Attempts of a delivery by number, oldest first. */
    attempts(deliveryId) {
        return this.ds.getRepository(entities_1.DeliveryAttemptEntity).find({ where: { deliveryId }, order: { number: 'ASC', startedAt: 'ASC' } });
    }
    /** Attempts of many deliveries at once (the GraphQL field loader). */
    async attemptsOf(deliveryIds) {
        const map = new Map(deliveryIds.map((id) => [id, []]));
        if (!deliveryIds.length)
            return map;
        const rows = await this.ds.getRepository(entities_1.DeliveryAttemptEntity).find({ where: { deliveryId: (0, typeorm_1.In)([...deliveryIds]) }, order: { number: 'ASC', startedAt: 'ASC' } });
        for (const r of rows)
            map.get(r.deliveryId)?.push(r);
        return map;
    }
    /**
     * Sends a delivery again: it becomes PENDING, due now, and its next attempt is recorded as MANUAL
     * with a fresh retry budget. A delivery in flight is left alone (it is being attempted right now).
     */
    async redeliver(accountId, id) {
        const d = await this.get(accountId, id);
        if (d.status === 'IN_FLIGHT')
            throw (0, errors_1.badInput)({ deliveryId: ['is being attempted right now; try again when it settles'] });
        const now = new Date();
        await (0, sql_1.execSql)(this.ds, `UPDATE deliveries SET status = 'PENDING', next_attempt_at = :now, next_trigger = 'MANUAL', attempt_base = attempt_count, updated_at = :now
       WHERE id = :id AND status <> 'IN_FLIGHT'`, { id, now });
        this.announce?.eventsPublished(accountId, [], 1);
        const updated = await this.get(accountId, id);
        this.announce?.deliveriesUpdated([updated]);
        return updated;
    }
    /**
     * Re-queues the past events of one webhook that occurred in [since, until): existing deliveries
     * (only the FAILED ones with onlyFailed) become due now, and with onlyFailed false, events that
     * match the webhook now but never had a delivery to it get one. Returns how many were queued.
     */
    async replayWebhook(accountId, webhookId, args) {
        const webhook = await this.webhooks.get(accountId, webhookId);
        const until = args.until ?? new Date();
        if (until <= args.since)
            throw (0, errors_1.badInput)({ until: ['must be after since'] });
        const now = new Date();
        const statusCond = args.onlyFailed ? `d.status = 'FAILED'` : `d.status IN ('SUCCEEDED', 'FAILED')`;
        const requeued = await (0, sql_1.execSql)(this.ds, `UPDATE deliveries SET status = 'PENDING', next_attempt_at = :now, next_trigger = 'MANUAL', attempt_base = attempt_count, updated_at = :now
       WHERE id IN (SELECT id FROM (SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id
                    WHERE d.webhook_id = :webhookId AND ${statusCond} AND e.occurred_at >= :since AND e.occurred_at < :until
                    LIMIT ${exports.MAX_REPLAY}) AS picked)`, { webhookId, now, since: args.since, until });
        let created = 0;
        if (!args.onlyFailed) {
            const missing = await this.ds
                .getRepository(entities_1.EventEntity)
                .createQueryBuilder('e')
                .where('e.account_id = :accountId AND e.occurred_at >= :since AND e.occurred_at < :until', { accountId, since: args.since, until })
                .andWhere('NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.webhook_id = :webhookId)', { webhookId })
                .orderBy('e.id', 'ASC')
                .take(exports.MAX_REPLAY)
                .getMany();
            const match = (0, filters_1.compileMatcher)({ events: webhook.events, filters: webhook.filters });
            const campaignIds = (0, fan_out_1.campaignsToLoad)(missing, [webhook]);
            const ctx = (0, filters_1.contextFromCampaigns)(campaignIds.length ? await this.ds.getRepository(entities_1.CampaignEntity).findBy({ accountId, id: (0, typeorm_1.In)(campaignIds) }) : []);
            const rows = missing.filter((e) => match(e, ctx)).map((e) => ({
                id: (0, ids_1.newId)(), accountId, eventId: e.id, webhookId, targetUrl: null, status: 'PENDING', attemptCount: 0, attemptBase: 0,
                nextTrigger: 'MANUAL', nextAttemptAt: now, lockedUntil: null, leaseToken: null, lastResponseStatus: null, lastError: null,
                succeededAt: null, createdAt: now, updatedAt: now,
            }));
            await (0, sql_1.insertRows)(this.ds, 'deliveries', rows_1.DELIVERY_COLUMNS, rows);
            created = rows.length;
        }
        const count = requeued.affected + created;
        if (count)
            this.announce?.eventsPublished(accountId, [], count);
        return count;
    }
    /** Success rate, latency percentiles and counts of one webhook over the last `hours`. */
    async stats(webhookId, hours = 24, now = new Date()) {
        const since = new Date(now.getTime() - hours * 3600_000);
        const [counts] = await (0, sql_1.runSql)(this.ds, `SELECT COUNT(*) AS n,
              SUM(CASE WHEN status = 'SUCCEEDED' THEN 1 ELSE 0 END) AS ok,
              SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END) AS failed,
              SUM(CASE WHEN status IN ('PENDING', 'IN_FLIGHT') THEN 1 ELSE 0 END) AS pending
       FROM deliveries WHERE webhook_id = :webhookId AND created_at >= :since`, { webhookId, since });
        const durations = (await this.ds.getRepository(entities_1.DeliveryAttemptEntity).find({
            select: { durationMs: true },
            where: { webhookId, startedAt: (0, typeorm_1.MoreThanOrEqual)(since) },
            order: { durationMs: 'ASC' },
            take: 100_000,
        })).map((a) => a.durationMs);
        const pct = (p) => (durations.length ? durations[Math.min(durations.length - 1, Math.ceil((p / 100) * durations.length) - 1)] : null);
        const ok = Number(counts?.ok ?? 0);
        const failed = Number(counts?.failed ?? 0);
        return {
            windowHours: hours,
            deliveries: Number(counts?.n ?? 0),
            succeeded: ok,
            failed,
            pending: Number(counts?.pending ?? 0),
            attempts: durations.length,
            successRate: ok + failed ? ok / (ok + failed) : null,
            p50LatencyMs: pct(50),
            p95LatencyMs: pct(95),
        };
    }
}
exports.DeliveryService = DeliveryService;
