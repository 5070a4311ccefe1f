import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema, PubSub } from 'type-graphql';
import type { RealtimePubSub, RealtimeTopics } from '../realtime/pubsub';
import { AccountResolver } from './accounts/account.resolver';
import { AgentResolver } from './agents/agent.resolver';
import { CampaignResolver } from './campaigns/campaign.resolver';
import { PreviewMatchResolver, WebhookTimelineResolver } from './console/console.resolver';
import { DeliveryResolver, WebhookDeliveriesResolver } from './deliveries/delivery.resolver';
import { EventTypeResolver } from './events/event-type.resolver';
import { EventResolver } from './events/event.resolver';
import { RealtimeResolver } from './realtime/realtime.resolver';
import { validateArgument } from './validation';
import { WebhookResolver } from './webhooks/webhook.resolver';

export const RESOLVERS = [
  AccountResolver,
  WebhookResolver,
  WebhookDeliveriesResolver,
  CampaignResolver,
  AgentResolver,
  EventTypeResolver,
  EventResolver,
  DeliveryResolver,
  RealtimeResolver,
  WebhookTimelineResolver,
  PreviewMatchResolver,
] as const;

/** Builds the executable schema from the type-graphql classes (the source of schema.graphql). */
export function buildHooklineSchema(pubSub: RealtimePubSub = createPubSub<RealtimeTopics>()): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS as unknown as [Function, ...Function[]],
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    validateFn: validateArgument,
    pubSub: pubSub as unknown as PubSub,
    emitSchemaFile: false,
  });
}
