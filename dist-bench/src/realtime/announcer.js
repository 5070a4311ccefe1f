"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.deliveryMessage = deliveryMessage;
exports.realtimeAnnouncer = realtimeAnnouncer;
const typeorm_1 = require("typeorm");
const entities_1 = require("../db/entities");
const iso = (d) => (d ? d.toISOString() : null);
function deliveryMessage(d) {
    return {
        id: d.id,
        eventId: d.eventId,
        webhookId: d.webhookId,
        targetUrl: d.targetUrl,
        status: d.status,
        attemptCount: d.attemptCount,
        nextAttemptAt: iso(d.nextAttemptAt),
        lastResponseStatus: d.lastResponseStatus,
        lastError: d.lastError,
        succeededAt: iso(d.succeededAt),
        createdAt: d.createdAt.toISOString(),
        updatedAt: d.updatedAt.toISOString(),
    };
}
/**
 * Listens to the domain and publishes to pub/sub: committed events (with the conversion outcomes the
 * is_conversion filter needs, so subscribers never query) and delivery state changes.
 */
function realtimeAnnouncer(realtime, ds, log) {
    const { pubSub } = realtime;
    const publishEvents = async (accountId, events) => {
        const campaignIds = [...new Set(events.map((e) => e.payload?.campaign_id).filter((id) => typeof id === 'string'))];
        const outcomes = new Map();
        if (campaignIds.length) {
            for (const c of await ds.getRepository(entities_1.CampaignEntity).findBy({ accountId, id: (0, typeorm_1.In)(campaignIds) }))
                outcomes.set(c.id, c.conversionOutcomes);
        }
        for (const e of events) {
            const message = {
                event: { id: e.id, type: e.type, payload: e.payload, occurredAt: e.occurredAt.toISOString(), idempotencyKey: e.idempotencyKey, createdAt: e.createdAt.toISOString() },
                conversionOutcomes: typeof e.payload?.campaign_id === 'string' ? outcomes.get(e.payload.campaign_id) ?? null : null,
            };
            pubSub.publish('EVENT_PUBLISHED', accountId, message);
        }
    };
    return {
        eventsPublished(accountId, events) {
            if (events.length && realtime.mayHaveSubscribers('EVENT_PUBLISHED', accountId))
                publishEvents(accountId, events).catch((err) => log.error({ err }, 'publishing events to subscribers failed'));
        },
        deliveriesUpdated(deliveries) {
            for (const d of deliveries) {
                if (realtime.mayHaveSubscribers('DELIVERY_UPDATED', d.accountId))
                    pubSub.publish('DELIVERY_UPDATED', d.accountId, deliveryMessage(d));
            }
        },
    };
}
