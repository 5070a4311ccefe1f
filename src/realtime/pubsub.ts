import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { GraphQLError } from 'graphql';
import Redis from 'ioredis';
import { setMaxListeners } from 'node:events';
import type { Logger } from '../logger';
import { watchRedis } from './redis-watch';

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
  /** 'degraded' while Redis is unreachable (live subscriptions interrupted, webhooks unaffected); undefined without Redis. */
  redisState(): 'ok' | 'degraded' | undefined;
  close(): Promise<void>;
}

/** extensions.code of the error that ends live subscriptions when events may have been missed. */
export const EVENTS_MAY_BE_MISSED = 'EVENTS_MAY_BE_MISSED';

/** The error every live subscription of this process ends with when Redis was lost (see README). */
export function eventsMayBeMissed(since: Date): GraphQLError {
  return new GraphQLError('Live events may have been missed: this server lost its connection to Redis. Subscribe again, and read what was published since `since` with the events query.', {
    extensions: { code: EVENTS_MAY_BE_MISSED, since: since.toISOString() },
  });
}

type Interruptible = { interrupt(err: unknown): void };

/** Calls `end` once when the iterator finishes, is returned or throws; `interrupt` ends it with an error. */
function onEnd<T>(iterable: AsyncIterable<T>, end: () => void): AsyncIterableIterator<T> & Interruptible {
  const it = iterable[Symbol.asyncIterator]();
  let ended = false;
  let failure: { err: unknown } | undefined;
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
      const r = failure ? ({ done: true, value: undefined } as IteratorResult<T>) : await it.next();
      if (failure) {
        finish();
        throw failure.err;
      }
      if (r.done) finish();
      return r;
    },
    interrupt(err: unknown) {
      if (ended || failure) return;
      failure = { err };
      // Settles a pending next() (done), which then throws `err`.
      void it.return?.();
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
export function createRealtime(redisUrl: string | undefined, log: Logger): Realtime {
  const counts = new Map<string, number>();
  const live = new Set<Interruptible>();
  const counting = (base: RealtimePubSub, publish = base.publish): RealtimePubSub =>
    ({
      publish,
      subscribe: (topic: keyof RealtimeTopics, id: string) => {
        const key = `${topic}:${id}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        const it = onEnd(base.subscribe(topic, id), () => {
          live.delete(it);
          const n = (counts.get(key) ?? 1) - 1;
          if (n > 0) counts.set(key, n);
          else counts.delete(key);
        });
        live.add(it);
        return it;
      },
    }) as unknown as RealtimePubSub;
  if (!redisUrl) {
    // One listener per live subscription: many subscribers on one account are normal, not a leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return {
      pubSub: counting(createPubSub<RealtimeTopics>({ eventTarget: eventTarget as never })),
      mayHaveSubscribers: (topic, accountId) => counts.has(`${topic}:${accountId}`),
      redisState: () => undefined,
      close: async () => undefined,
    };
  }
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const eventTarget = createRedisEventTarget<any>({ publishClient, subscribeClient });
  // Pub/sub keeps nothing for a listener that is away: every stream open during an outage is told
  // (at its start, and at its end for streams opened meanwhile) instead of silently missing events.
  const interruptAll = (since: Date) => [...live].forEach((it) => it.interrupt(eventsMayBeMissed(since)));
  let dropped = 0;
  const watch = watchRedis({ publish: publishClient, subscribe: subscribeClient }, log, {
    lost: interruptAll,
    back: (since) => {
      if (dropped) log.warn({ dropped }, 'live messages not published while Redis was unreachable');
      dropped = 0;
      interruptAll(since);
    },
  });
  const base = createPubSub<RealtimeTopics>({ eventTarget });
  return {
    // While Redis is away, publishing drops the message rather than queueing it without bound for a late burst.
    pubSub: counting(base, ((topic: keyof RealtimeTopics, accountId: string, message: never) => {
      if (watch.outageSince()) dropped++;
      else base.publish(topic, accountId, message);
    }) as RealtimePubSub['publish']),
    mayHaveSubscribers: () => true,
    redisState: () => (watch.outageSince() ? 'degraded' : 'ok'),
    async close() {
      watch.stop();
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
