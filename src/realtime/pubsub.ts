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

export interface Realtime {
  pubSub: RealtimePubSub;
  /**
   * Whether anyone may be listening to `topic` of this account: always with Redis (other processes
   * may be), otherwise only while this process has such a subscription. Publishers skip building
   * messages nobody can hear.
   */
  mayHaveSubscribers(topic: keyof RealtimeTopics, accountId: string): boolean;
  close(): Promise<void>;
}

/** Calls `end` once when the iterator finishes, is returned or throws. */
function onEnd<T>(iterable: AsyncIterable<T>, end: () => void): AsyncIterableIterator<T> {
  const it = iterable[Symbol.asyncIterator]();
  let ended = false;
  const finish = () => {
    if (!ended) {
      ended = true;
      end();
    }
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const r = await it.next();
      if (r.done) finish();
      return r;
    },
    async return(value?: unknown) {
      finish();
      return it.return ? it.return(value) : { done: true, value: value as T };
    },
    async throw(err?: unknown) {
      finish();
      if (it.throw) return it.throw(err);
      throw err;
    },
  };
}

/**
 * In-process pub/sub, or Redis pub/sub when REDIS_URL is set so that subscribers on any process hear
 * what any other process publishes.
 */
export function createRealtime(redisUrl?: string): Realtime {
  const counts = new Map<string, number>();
  const counting = (base: RealtimePubSub): RealtimePubSub =>
    ({
      publish: base.publish,
      subscribe: (topic: keyof RealtimeTopics, id: string) => {
        const key = `${topic}:${id}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return onEnd(base.subscribe(topic, id), () => {
          const n = (counts.get(key) ?? 1) - 1;
          if (n > 0) counts.set(key, n);
          else counts.delete(key);
        });
      },
    }) as RealtimePubSub;
  if (!redisUrl) {
    // One listener per live subscription: many subscribers on one account are normal, not a leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return {
      pubSub: counting(createPubSub<RealtimeTopics>({ eventTarget: eventTarget as never })),
      mayHaveSubscribers: (topic, accountId) => counts.has(`${topic}:${accountId}`),
      close: async () => undefined,
    };
  }
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const eventTarget = createRedisEventTarget<any>({ publishClient, subscribeClient });
  return {
    pubSub: counting(createPubSub<RealtimeTopics>({ eventTarget })),
    mayHaveSubscribers: () => true,
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
