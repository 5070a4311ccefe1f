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
exports.WebhookDeliveriesResolver = exports.DeliveryResolver = void 0;
const type_graphql_1 = require("type-graphql");
const context_1 = require("../../context");
const errors_1 = require("../../domain/errors");
const connection_1 = require("../common/connection");
const event_type_1 = require("../events/event.type");
const webhook_type_1 = require("../webhooks/webhook.type");
const delivery_type_1 = require("./delivery.type");
let DeliveryResolver = class DeliveryResolver {
    delivery(id, ctx) {
        return ctx.services.deliveries.get((0, context_1.principalOf)(ctx).account.id, id);
    }
    async deliveries(ctx, first, after, webhookId, eventId, status) {
        return (0, connection_1.toConnection)(await ctx.services.deliveries.list((0, context_1.principalOf)(ctx).account.id, { first, after, webhookId, eventId, status }));
    }
    attempts(d, ctx) {
        return ctx.services.deliveries.attempts(d.id);
    }
    event(d, ctx) {
        return ctx.services.events.get((0, context_1.principalOf)(ctx).account.id, d.eventId);
    }
    webhook(d, ctx) {
        return d.webhookId ? ctx.services.webhooks.get((0, context_1.principalOf)(ctx).account.id, d.webhookId, { includeDeleted: true }) : null;
    }
    redeliver(deliveryId, ctx) {
        return ctx.services.deliveries.redeliver((0, context_1.principalOf)(ctx).account.id, deliveryId);
    }
    async replayWebhook(id, since, ctx, until, onlyFailed) {
        return { count: await ctx.services.deliveries.replayWebhook((0, context_1.principalOf)(ctx).account.id, id, { since, until, onlyFailed }) };
    }
    testWebhook(id, ctx, eventType) {
        if (!ctx.tester)
            throw new errors_1.DomainError(errors_1.ErrorCode.BAD_USER_INPUT, 'testWebhook is unavailable', { id: ['no sender configured'] });
        return ctx.tester.test((0, context_1.principalOf)(ctx).account.id, id, eventType);
    }
};
exports.DeliveryResolver = DeliveryResolver;
__decorate([
    (0, type_graphql_1.Query)(() => delivery_type_1.Delivery),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", void 0)
], DeliveryResolver.prototype, "delivery", null);
__decorate([
    (0, type_graphql_1.Query)(() => delivery_type_1.DeliveryConnection, { description: 'Deliveries, oldest first.' }),
    __param(0, (0, type_graphql_1.Ctx)()),
    __param(1, (0, type_graphql_1.Arg)('first', () => type_graphql_1.Int, { nullable: true })),
    __param(2, (0, type_graphql_1.Arg)('after', () => String, { nullable: true })),
    __param(3, (0, type_graphql_1.Arg)('webhookId', () => type_graphql_1.ID, { nullable: true })),
    __param(4, (0, type_graphql_1.Arg)('eventId', () => type_graphql_1.ID, { nullable: true })),
    __param(5, (0, type_graphql_1.Arg)('status', () => delivery_type_1.DeliveryStatusEnum, { nullable: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Number, String, String, String, String]),
    __metadata("design:returntype", Promise)
], DeliveryResolver.prototype, "deliveries", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [delivery_type_1.DeliveryAttempt], { description: 'Attempts by number, oldest first.' }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [delivery_type_1.Delivery, Object]),
    __metadata("design:returntype", void 0)
], DeliveryResolver.prototype, "attempts", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => event_type_1.Event),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [delivery_type_1.Delivery, Object]),
    __metadata("design:returntype", void 0)
], DeliveryResolver.prototype, "event", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => webhook_type_1.Webhook, { nullable: true }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [delivery_type_1.Delivery, Object]),
    __metadata("design:returntype", void 0)
], DeliveryResolver.prototype, "webhook", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => delivery_type_1.Delivery, { description: 'Queues the delivery again now (trigger MANUAL, fresh retry budget).' }),
    __param(0, (0, type_graphql_1.Arg)('deliveryId', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", void 0)
], DeliveryResolver.prototype, "redeliver", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => delivery_type_1.ReplayResult, { description: 'Re-queues the events of [since, until) for one webhook; onlyFailed limits it to FAILED deliveries.' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Arg)('since', () => Date)),
    __param(2, (0, type_graphql_1.Ctx)()),
    __param(3, (0, type_graphql_1.Arg)('until', () => Date, { nullable: true })),
    __param(4, (0, type_graphql_1.Arg)('onlyFailed', () => Boolean, { nullable: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Date, Object, Date, Boolean]),
    __metadata("design:returntype", Promise)
], DeliveryResolver.prototype, "replayWebhook", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => delivery_type_1.DeliveryAttempt, { description: 'Sends webhook.test (or the example of eventType) right now and returns the attempt.' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __param(2, (0, type_graphql_1.Arg)('eventType', () => String, { nullable: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object, String]),
    __metadata("design:returntype", void 0)
], DeliveryResolver.prototype, "testWebhook", null);
exports.DeliveryResolver = DeliveryResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => delivery_type_1.Delivery)
], DeliveryResolver);
let WebhookDeliveriesResolver = class WebhookDeliveriesResolver {
    async deliveries(w, ctx, first, after, status) {
        return (0, connection_1.toConnection)(await ctx.services.deliveries.list((0, context_1.principalOf)(ctx).account.id, { first, after, webhookId: w.id, status }));
    }
    stats(w, ctx, hours) {
        return ctx.services.deliveries.stats(w.id, Math.min(Math.max(hours, 1), 24 * 90));
    }
};
exports.WebhookDeliveriesResolver = WebhookDeliveriesResolver;
__decorate([
    (0, type_graphql_1.FieldResolver)(() => delivery_type_1.DeliveryConnection),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __param(2, (0, type_graphql_1.Arg)('first', () => type_graphql_1.Int, { nullable: true })),
    __param(3, (0, type_graphql_1.Arg)('after', () => String, { nullable: true })),
    __param(4, (0, type_graphql_1.Arg)('status', () => delivery_type_1.DeliveryStatusEnum, { nullable: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [webhook_type_1.Webhook, Object, Number, String, String]),
    __metadata("design:returntype", Promise)
], WebhookDeliveriesResolver.prototype, "deliveries", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => delivery_type_1.WebhookStats),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __param(2, (0, type_graphql_1.Arg)('hours', () => type_graphql_1.Int, { nullable: true, defaultValue: 24 })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [webhook_type_1.Webhook, Object, Number]),
    __metadata("design:returntype", void 0)
], WebhookDeliveriesResolver.prototype, "stats", null);
exports.WebhookDeliveriesResolver = WebhookDeliveriesResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => webhook_type_1.Webhook)
], WebhookDeliveriesResolver);
