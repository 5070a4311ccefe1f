import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { Context, principalOf } from '../../context';
import { isSubscribableEvent, WILDCARD_EVENT } from '../../domain/event-types';
import { badInput } from '../../domain/errors';
import { compileMatcher, Filters, validateFilters } from '../../domain/filters';
import type { DeliveryMessage, EventMessage } from '../../realtime/pubsub';
import { Delivery } from '../deliveries/delivery.type';
import { Event } from '../events/event.type';

type Matcher = ReturnType<typeof compileMatcher>;
export interface EventArgs {
  types?: string[] | null;
  filters?: Filters | null;
}

/** One compiled matcher per subscription (its args object), built on the first message. */
const matchers = new WeakMap<object, Matcher>();

export function matcherFor(args: EventArgs): Matcher {
  let m = matchers.get(args);
  if (!m) {
    m = compileMatcher({ events: args.types?.length ? args.types : [WILDCARD_EVENT], filters: args.filters ?? null });
    matchers.set(args, m);
  }
  return m;
}

/** What is wrong with eventPublished's arguments (the same rules as a webhook's), by field; undefined when nothing. */
export function eventArgsErrors(args: EventArgs): Record<string, string[]> | undefined {
  const errors: Record<string, string[]> = {};
  const badTypes = (args.types ?? []).filter((t) => !isSubscribableEvent(t));
  if (badTypes.length) errors.types = [`unknown event type ${badTypes.map((t) => JSON.stringify(t)).join(', ')} (see the eventTypes query)`];
  if (args.filters != null) {
    const f = validateFilters(args.filters);
    if (f.length) errors.filters = f;
  }
  return Object.keys(errors).length ? errors : undefined;
}

/** Checks the subscription's arguments and returns the account topic. */
function accountTopic({ args, context }: { args: EventArgs; context: Context }): string {
  const errors = eventArgsErrors(args);
  if (errors) throw badInput(errors);
  return principalOf(context).account.id;
}

/** eventPublished's filter: the webhook matcher, with the conversion outcomes the message carries. */
export function eventMatches(matcher: Matcher, message: EventMessage): boolean {
  const outcomes = message.conversionOutcomes;
  return matcher(message.event, { conversionOutcomes: () => outcomes ?? undefined });
}

export interface DeliveryArgs {
  webhookId?: string | null;
  eventId?: string | null;
}

/** deliveryUpdated's filter. */
export const deliveryMatches = (args: DeliveryArgs, message: DeliveryMessage): boolean =>
  (!args.webhookId || message.webhookId === args.webhookId) && (!args.eventId || message.eventId === args.eventId);

const toEvent = (m: EventMessage): Event => ({
  ...m.event,
  occurredAt: new Date(m.event.occurredAt),
  createdAt: new Date(m.event.createdAt),
});

const toDelivery = (m: DeliveryMessage) => ({
  ...m,
  nextAttemptAt: m.nextAttemptAt ? new Date(m.nextAttemptAt) : null,
  succeededAt: m.succeededAt ? new Date(m.succeededAt) : null,
  createdAt: new Date(m.createdAt),
  updatedAt: new Date(m.updatedAt),
});

@Resolver()
export class RealtimeResolver {
  @Subscription(() => Event, {
    description: 'Events of your account as they are published, matched exactly like webhooks (types, sub-events, filters). The id equals the webhook-id receivers get.',
    topics: 'EVENT_PUBLISHED',
    topicId: accountTopic as never,
    filter: ({ payload, args }: { payload: EventMessage; args: EventArgs }) => eventMatches(matcherFor(args), payload),
  })
  eventPublished(
    @Root() message: EventMessage,
    @Arg('types', () => [String], { nullable: true, description: 'Event types or sub-events; all when omitted.' }) _types?: string[],
    @Arg('filters', () => GraphQLJSONObject, { nullable: true, description: 'The webhook filter syntax.' }) _filters?: Record<string, unknown>,
  ): Event {
    return toEvent(message);
  }

  @Subscription(() => Delivery, {
    description: 'Every state change of your deliveries (attempted, retried, succeeded, failed, re-queued).',
    topics: 'DELIVERY_UPDATED',
    topicId: (({ context }: { context: Context }) => principalOf(context).account.id) as never,
    filter: ({ payload, args }: { payload: DeliveryMessage; args: DeliveryArgs }) => deliveryMatches(args, payload),
  })
  deliveryUpdated(
    @Root() message: DeliveryMessage,
    @Arg('webhookId', () => ID, { nullable: true }) _webhookId?: string,
    @Arg('eventId', () => ID, { nullable: true }) _eventId?: string,
  ) {
    return toDelivery(message);
  }
}
