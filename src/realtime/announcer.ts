import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { CampaignEntity, EventEntity } from '../db/entities';
import type { DeliverySnapshot, DomainEvents } from '../domain/domain-events';
import type { Logger } from '../logger';
import type { DeliveryMessage, EventMessage, Realtime } from './pubsub';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function deliveryMessage(d: DeliverySnapshot): DeliveryMessage {
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
export function realtimeAnnouncer(realtime: Realtime, ds: DataSource, log: Logger): Partial<DomainEvents> {
  const { pubSub } = realtime;
  const publishEvents = async (accountId: string, events: EventEntity[]) => {
    const campaignIds = [...new Set(events.map((e) => e.payload?.campaign_id).filter((id): id is string => typeof id === 'string'))];
    const outcomes = new Map<string, string[]>();
    if (campaignIds.length) {
      for (const c of await ds.getRepository(CampaignEntity).findBy({ accountId, id: In(campaignIds) })) outcomes.set(c.id, c.conversionOutcomes);
    }
    for (const e of events) {
      const message: EventMessage = {
        event: { id: e.id, type: e.type, payload: e.payload, occurredAt: e.occurredAt.toISOString(), idempotencyKey: e.idempotencyKey, createdAt: e.createdAt.toISOString() },
        conversionOutcomes: typeof e.payload?.campaign_id === 'string' ? outcomes.get(e.payload.campaign_id) ?? null : null,
      };
      pubSub.publish('EVENT_PUBLISHED', accountId, message);
    }
  };
  return {
    eventsPublished(accountId, events) {
      if (events.length && realtime.mayHaveSubscribers('EVENT_PUBLISHED', accountId)) publishEvents(accountId, events).catch((err) => log.error({ err }, 'publishing events to subscribers failed'));
    },
    deliveriesUpdated(deliveries) {
      for (const d of deliveries) {
        if (realtime.mayHaveSubscribers('DELIVERY_UPDATED', d.accountId)) pubSub.publish('DELIVERY_UPDATED', d.accountId, deliveryMessage(d));
      }
    },
  };
}
