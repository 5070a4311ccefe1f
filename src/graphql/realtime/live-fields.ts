import { baseEventType, WILDCARD_EVENT } from '../../domain/event-types';
import type { DeliveryMessage, EventMessage, RealtimeTopics } from '../../realtime/pubsub';
import { deliveryMatches, DeliveryArgs, eventArgsErrors, EventArgs, eventMatches, matcherFor } from './realtime.resolver';

/**
 * What the live multiplexer needs to know of a subscription field to serve it without running its
 * subscribe resolver per subscriber: the topic it hears, which arguments it leaves to GraphQL (bad
 * ones: GraphQL answers them with its own error), which event types it can match (an index), and its
 * filter, the very one the resolver applies.
 */
export interface LiveField {
  topic: keyof RealtimeTopics;
  /** False when the arguments are invalid: the resolver then answers, with its field errors. */
  accepts(args: Record<string, unknown>): boolean;
  /** The event types it may match (index keys), or undefined for any message of the topic. */
  types(args: Record<string, unknown>): string[] | undefined;
  /** Equal keys mean equal filter decisions for every message (the filter is evaluated once per key). */
  filterKey(args: Record<string, unknown>): string;
  /** The filter; built once per group of subscribers. */
  filter(args: Record<string, unknown>): (message: never) => boolean;
}

/** The index key of a message of a topic (its event type for events). */
export function messageType(topic: keyof RealtimeTopics, message: unknown): string | undefined {
  return topic === 'EVENT_PUBLISHED' ? (message as EventMessage).event.type : undefined;
}

const eventPublished: LiveField = {
  topic: 'EVENT_PUBLISHED',
  accepts: (args) => !eventArgsErrors(args as EventArgs),
  types: (args) => {
    const types = (args as EventArgs).types;
    if (!types?.length || types.includes(WILDCARD_EVENT)) return undefined;
    // A sub-event (call.completed.booked_callback) can only match events of its base type.
    return [...new Set(types.map((t) => baseEventType(t) ?? t))];
  },
  filterKey: (args) => JSON.stringify([(args as EventArgs).types ?? null, (args as EventArgs).filters ?? null]),
  filter: (args) => {
    const matcher = matcherFor(args as EventArgs);
    return (message: EventMessage) => eventMatches(matcher, message);
  },
};

const deliveryUpdated: LiveField = {
  topic: 'DELIVERY_UPDATED',
  accepts: () => true,
  types: () => undefined,
  filterKey: (args) => JSON.stringify([(args as DeliveryArgs).webhookId ?? null, (args as DeliveryArgs).eventId ?? null]),
  filter: (args) => (message: DeliveryMessage) => deliveryMatches(args as DeliveryArgs, message),
};

/** Subscription root fields the multiplexer serves; any other goes through graphql's own subscribe. */
export const LIVE_FIELDS: Readonly<Record<string, LiveField>> = { eventPublished, deliveryUpdated };
