"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RealtimeResolver = void 0;
const graphql_scalars_1 = require("graphql-scalars");
const type_graphql_1 = require("type-graphql");
const context_1 = require("../../context");
const event_types_1 = require("../../domain/event-types");
const errors_1 = require("../../domain/errors");
const filters_1 = require("../../domain/filters");
const delivery_type_1 = require("../deliveries/delivery.type");
const event_type_1 = require("../events/event.type");
/** One compiled matcher per subscription (its args object), built on the first message. */
const matchers = new WeakMap();
function matcherFor(args) {
    let m = matchers.get(args);
    if (!m) {
        m = (0, filters_1.compileMatcher)({ events: args.types?.length ? args.types : [event_types_1.WILDCARD_EVENT], filters: args.filters ?? null });
        matchers.set(args, m);
    }
    return m;
}
/** Checks the subscription's arguments (same rules as a webhook's) and returns the account topic. */
function accountTopic({ args, context }) {
    const errors = {};
    const badTypes = (args.types ?? []).filter((t) => !(0, event_types_1.isSubscribableEvent)(t));
    if (badTypes.length)
        errors.types = [`unknown event type ${badTypes.map((t) => JSON.stringify(t)).join(', ')} (see the eventTypes query)`];
    if (args.filters != null) {
        const f = (0, filters_1.validateFilters)(args.filters);
        if (f.length)
            errors.filters = f;
    }
    if (Object.keys(errors).length)
        throw (0, errors_1.badInput)(errors);
    return (0, context_1.principalOf)(context).account.id;
}
const toEvent = (m) => ({
    ...m.event,
    occurredAt: new Date(m.event.occurredAt),
    createdAt: new Date(m.event.createdAt),
});
const toDelivery = (m) => ({
    ...m,
    nextAttemptAt: m.nextAttemptAt ? new Date(m.nextAttemptAt) : null,
    succeededAt: m.succeededAt ? new Date(m.succeededAt) : null,
    createdAt: new Date(m.createdAt),
    updatedAt: new Date(m.updatedAt),
});
let RealtimeResolver = class RealtimeResolver {
    eventPublished(message, _types, _filters) {
        return toEvent(message);
    }
    deliveryUpdated(message, _webhookId, _eventId) {
        return toDelivery(message);
    }
};
exports.RealtimeResolver = RealtimeResolver;
__decorate([
    (0, type_graphql_1.Subscription)(() => event_type_1.Event, {
        description: 'Events of your account as they are published, matched exactly like webhooks (types, sub-events, filters). The id equals the webhook-id receivers get.',
        topics: 'EVENT_PUBLISHED',
        topicId: accountTopic,
        filter: ({ payload, args }) => {
            const outcomes = payload.conversionOutcomes;
            return matcherFor(args)(payload.event, { conversionOutcomes: () => outcomes ?? undefined });
        },
    }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Arg)('types', () => [String], { nullable: true, description: 'Event types or sub-events; all when omitted.' })),
    __param(2, (0, type_graphql_1.Arg)('filters', () => graphql_scalars_1.GraphQLJSONObject, { nullable: true, description: 'The webhook filter syntax.' })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Array, Object]),
    __metadata("design:returntype", event_type_1.Event)
], RealtimeResolver.prototype, "eventPublished", null);
__decorate([
    (0, type_graphql_1.Subscription)(() => delivery_type_1.Delivery, {
        description: 'Every state change of your deliveries (attempted, retried, succeeded, failed, re-queued).',
        topics: 'DELIVERY_UPDATED',
        topicId: (({ context }) => (0, context_1.principalOf)(context).account.id),
        filter: ({ payload, args }) => (!args.webhookId || payload.webhookId === args.webhookId) && (!args.eventId || payload.eventId === args.eventId),
    }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Arg)('webhookId', () => type_graphql_1.ID, { nullable: true })),
    __param(2, (0, type_graphql_1.Arg)('eventId', () => type_graphql_1.ID, { nullable: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, String]),
    __metadata("design:returntype", void 0)
], RealtimeResolver.prototype, "deliveryUpdated", null);
exports.RealtimeResolver = RealtimeResolver = __decorate([
    (0, type_graphql_1.Resolver)()
], RealtimeResolver);
