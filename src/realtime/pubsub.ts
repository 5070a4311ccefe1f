import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import Redis from 'ioredis';
import { setMaxListeners } from 'node:events';

/** What travels over pub/sub for `eventPublished` (JSON-safe: it may cross Redis). */
export interface EventMessage {
  event: { id: string; type: string; payload: Record<string, unknown>; occurredAt: string; idempotencyKey: string | null; createdAt: string };
  /** Conversion outcomes of the campaign the payload names, for the is_conversion filter. */
  conversionOutcomes: string[] | null;
}

/** What travels over pub/sub for `deliveryUpdated`. */
export interface DeliveryMessage {
  id: string;
  eventId: string;
  webhookId: string | null;
  targetUrl: string | null;
  status: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  succeededAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Topics; each is keyed by account id, so a subscriber only ever hears its own account. */
export type RealtimeTopics = {
  EVENT_PUBLISHED: [accountId: string, message: EventMessage];
  DELIVERY_UPDATED: [accountId: string, message: DeliveryMessage];
};

export type RealtimePubSub = ReturnType<typeof createPubSub<RealtimeTopics>>;

/**
 * In-process pub/sub, or Redis pub/sub when REDIS_URL is set so that subscribers on any process hear
 * what any other process publishes.
 */
export function createRealtime(redisUrl?: string): { pubSub: RealtimePubSub; close(): Promise<void> } {
  if (!redisUrl) {
    // One listener per live subscription: many subscribers on one account are normal, not a leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return { pubSub: createPubSub<RealtimeTopics>({ eventTarget: eventTarget as never }), close: async () => undefined };
  }
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const eventTarget = createRedisEventTarget<any>({ publishClient, subscribeClient });
  return {
    pubSub: createPubSub<RealtimeTopics>({ eventTarget }),
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
