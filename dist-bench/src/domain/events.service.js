"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EventService = void 0;
const typeorm_1 = require("typeorm");
const entities_1 = require("../db/entities");
const errors_1 = require("../db/errors");
const rows_1 = require("../db/rows");
const sql_1 = require("../db/sql");
const ssrf_1 = require("../delivery/ssrf");
const errors_2 = require("./errors");
const event_types_1 = require("./event-types");
const fan_out_1 = require("./fan-out");
const filters_1 = require("./filters");
const ids_1 = require("./ids");
const pagination_1 = require("./pagination");
const signing_1 = require("./signing");
/**
 * Publishing: events and their delivery rows commit in one transaction (the outbox), so an
 * acknowledged event can never lose a delivery. Matching happens once, here.
 */
class EventService {
    ds;
    box;
    opts;
    events;
    matchers = new fan_out_1.MatcherCache();
    constructor(ds, box, opts, events) {
        this.ds = ds;
        this.box = box;
        this.opts = opts;
        this.events = events;
    }
    async publish(accountId, inputs, fieldPrefix = (i) => `inputs.${i}.`) {
        await this.checkOneOffTargets(inputs, fieldPrefix);
        let result;
        try {
            result = await this.ds.transaction((m) => this.publishIn(m, accountId, inputs));
        }
        catch (e) {
            // A concurrent publish with the same idempotency key won the race: ours now finds its event.
            if (!(0, errors_1.isUniqueViolation)(e))
                throw e;
            result = await this.ds.transaction((m) => this.publishIn(m, accountId, inputs));
        }
        const fresh = result.filter((r) => !r.replayed);
        if (fresh.length) {
            const due = fresh.map((r) => r.firstDueAt).filter((d) => !!d);
            const firstDueAt = due.length ? new Date(Math.min(...due.map((d) => d.getTime()))) : undefined;
            this.events?.eventsPublished(accountId, fresh.map((r) => r.event), fresh.reduce((n, r) => n + r.deliveryCount, 0), firstDueAt);
        }
        return result;
    }
    async checkOneOffTargets(inputs, fieldPrefix) {
        const errors = {};
        for (const [i, input] of inputs.entries()) {
            if (input.webhookEvents && !input.webhookUrl)
                (0, errors_2.addFieldError)(errors, `${fieldPrefix(i)}webhookEvents`, 'needs webhookUrl');
            if (!input.webhookUrl)
                continue;
            try {
                await (0, ssrf_1.assertPublicUrl)(input.webhookUrl, { allowPrivate: this.opts.allowPrivateTargets, lookupAll: this.opts.lookupAll });
            }
            catch (e) {
                (0, errors_2.addFieldError)(errors, `${fieldPrefix(i)}webhookUrl`, e.message);
            }
        }
        if (Object.keys(errors).length)
            throw (0, errors_2.badInput)(errors);
    }
    async publishIn(m, accountId, inputs) {
        const now = new Date();
        // 1. Idempotency: an input whose key is already stored returns that event.
        const keys = [...new Set(inputs.map((i) => i.idempotencyKey).filter((k) => !!k))];
        const known = new Map();
        if (keys.length) {
            for (const e of await m.getRepository(entities_1.EventEntity).findBy({ accountId, idempotencyKey: (0, typeorm_1.In)(keys) }))
                known.set(e.idempotencyKey, e);
        }
        // 2. New event rows.
        const out = [];
        const fresh = [];
        for (const input of inputs) {
            const prior = input.idempotencyKey ? known.get(input.idempotencyKey) : undefined;
            if (prior) {
                out.push({ event: prior, deliveryCount: 0, replayed: true });
                continue;
            }
            const event = {
                id: (0, ids_1.newId)(),
                accountId,
                type: input.type,
                payload: input.payload,
                occurredAt: input.occurredAt ?? now,
                idempotencyKey: input.idempotencyKey ?? null,
                createdAt: now,
            };
            if (event.idempotencyKey)
                known.set(event.idempotencyKey, event);
            const result = { event, deliveryCount: 0, replayed: false };
            fresh.push({ event, input, result });
            out.push(result);
        }
        if (!fresh.length)
            return out;
        // 3. Fan-out: the account's live webhooks, each compiled matcher evaluated once per event.
        const webhooks = await m.getRepository(entities_1.WebhookEntity).findBy({ accountId, enabled: true, status: 'ACTIVE', deletedAt: (0, typeorm_1.IsNull)() });
        const campaignIds = (0, fan_out_1.campaignsToLoad)(fresh.map((f) => f.event), webhooks);
        const ctx = campaignIds.length ? (0, filters_1.contextFromCampaigns)(await this.campaigns(m, accountId, campaignIds)) : filters_1.NO_CAMPAIGNS;
        const deliveries = [];
        for (const { event, input, result } of fresh) {
            const delaySeconds = input.deliverAfterSeconds ?? (0, event_types_1.findEventType)(event.type)?.defaultDelaySeconds ?? 0;
            const due = new Date(now.getTime() + delaySeconds * 1000);
            const targets = (0, fan_out_1.matchingWebhooks)(event, webhooks, this.matchers, ctx).map((w) => ({ webhookId: w.id, url: null }));
            if (input.webhookUrl) {
                const wanted = input.webhookEvents?.length ? input.webhookEvents : [event.type];
                if ((0, filters_1.compileMatcher)({ events: wanted })(event, ctx))
                    targets.push({ webhookId: null, url: input.webhookUrl });
            }
            for (const t of targets) {
                deliveries.push({
                    id: (0, ids_1.newId)(),
                    accountId,
                    eventId: event.id,
                    webhookId: t.webhookId,
                    targetUrl: t.url,
                    status: 'PENDING',
                    attemptCount: 0,
                    attemptBase: 0,
                    nextTrigger: 'SCHEDULED',
                    nextAttemptAt: due,
                    lockedUntil: null,
                    leaseToken: null,
                    lastResponseStatus: null,
                    lastError: null,
                    succeededAt: null,
                    createdAt: now,
                    updatedAt: now,
                });
            }
            result.deliveryCount = targets.length;
            if (targets.length)
                result.firstDueAt = due;
        }
        if (fresh.some((f) => f.input.webhookUrl))
            await this.ensureAccountSecret(m, accountId);
        // 4. Multi-row inserts.
        await (0, sql_1.insertRows)(m, 'events', rows_1.EVENT_COLUMNS, fresh.map((f) => f.event));
        await (0, sql_1.insertRows)(m, 'deliveries', rows_1.DELIVERY_COLUMNS, deliveries);
        return out;
    }
    async campaigns(m, accountId, ids) {
        return m.getRepository(entities_1.CampaignEntity).findBy({ accountId, id: (0, typeorm_1.In)(ids) });
    }
    /** The account-level secret that signs one-off targets; created on first use. */
    async ensureAccountSecret(m, accountId) {
        const repo = m.getRepository(entities_1.AccountEntity);
        const account = await repo.findOneByOrFail({ id: accountId });
        if (account.signingSecretSealed)
            return this.box.open(account.signingSecretSealed);
        const secret = (0, signing_1.generateSecret)();
        await repo.update({ id: accountId, signingSecretSealed: (0, typeorm_1.IsNull)() }, { signingSecretSealed: this.box.seal(secret) });
        const again = await repo.findOneByOrFail({ id: accountId });
        return this.box.open(again.signingSecretSealed);
    }
    async get(accountId, id) {
        const event = await this.ds.getRepository(entities_1.EventEntity).findOneBy({ id, accountId });
        if (!event)
            throw (0, errors_2.notFound)('Event', id);
        return event;
    }
    list(accountId, args) {
        const qb = this.ds.getRepository(entities_1.EventEntity).createQueryBuilder('e').where('e.account_id = :accountId', { accountId });
        if (args.type) {
            const base = (0, event_types_1.baseEventType)(args.type) ?? args.type;
            qb.andWhere('e.type = :type', { type: base });
        }
        if (args.since)
            qb.andWhere('e.occurred_at >= :since', { since: args.since });
        return (0, pagination_1.pageById)(qb, args);
    }
}
exports.EventService = EventService;
