import { GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { AccountResolver } from './accounts/account.resolver';
import { CampaignResolver } from './campaigns/campaign.resolver';
import { EventTypeResolver } from './events/event-type.resolver';
import { WebhookResolver } from './webhooks/webhook.resolver';
import { DeliveryResolver, WebhookDeliveriesResolver } from './deliveries/delivery.resolver';
import { EventResolver } from './events/event.resolver';

export const RESOLVERS = [AccountResolver, WebhookResolver, WebhookDeliveriesResolver, CampaignResolver, EventTypeResolver, EventResolver, DeliveryResolver] as const;

/** Builds the executable schema from the type-graphql classes (the source of schema.graphql). */
export function buildHooklineSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS as unknown as [Function, ...Function[]],
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
    emitSchemaFile: false,
  });
}
