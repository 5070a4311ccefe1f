"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESOLVERS = void 0;
exports.buildHooklineSchema = buildHooklineSchema;
const subscription_1 = require("@graphql-yoga/subscription");
const graphql_scalars_1 = require("graphql-scalars");
const type_graphql_1 = require("type-graphql");
const account_resolver_1 = require("./accounts/account.resolver");
const campaign_resolver_1 = require("./campaigns/campaign.resolver");
const delivery_resolver_1 = require("./deliveries/delivery.resolver");
const event_type_resolver_1 = require("./events/event-type.resolver");
const event_resolver_1 = require("./events/event.resolver");
const realtime_resolver_1 = require("./realtime/realtime.resolver");
const webhook_resolver_1 = require("./webhooks/webhook.resolver");
exports.RESOLVERS = [
    account_resolver_1.AccountResolver,
    webhook_resolver_1.WebhookResolver,
    delivery_resolver_1.WebhookDeliveriesResolver,
    campaign_resolver_1.CampaignResolver,
    event_type_resolver_1.EventTypeResolver,
    event_resolver_1.EventResolver,
    delivery_resolver_1.DeliveryResolver,
    realtime_resolver_1.RealtimeResolver,
];
/** Builds the executable schema from the type-graphql classes (the source of schema.graphql). */
function buildHooklineSchema(pubSub = (0, subscription_1.createPubSub)()) {
    return (0, type_graphql_1.buildSchema)({
        resolvers: exports.RESOLVERS,
        scalarsMap: [{ type: Date, scalar: graphql_scalars_1.GraphQLDateTime }],
        validate: { forbidUnknownValues: false, stopAtFirstError: false },
        pubSub: pubSub,
        emitSchemaFile: false,
    });
}
