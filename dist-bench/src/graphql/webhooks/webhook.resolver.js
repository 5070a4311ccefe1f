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
exports.WebhookResolver = void 0;
const type_graphql_1 = require("type-graphql");
const context_1 = require("../../context");
const connection_1 = require("../common/connection");
const webhook_inputs_1 = require("./webhook.inputs");
const webhook_type_1 = require("./webhook.type");
let WebhookResolver = class WebhookResolver {
    async webhook(id, ctx) {
        return ctx.services.webhooks.get((0, context_1.principalOf)(ctx).account.id, id, { includeDeleted: true });
    }
    async webhooks(ctx, first, after, filter) {
        return (0, connection_1.toConnection)(await ctx.services.webhooks.list((0, context_1.principalOf)(ctx).account.id, { first, after, filter }));
    }
    async webhookSecret(id, ctx) {
        const webhook = await ctx.services.webhooks.get((0, context_1.principalOf)(ctx).account.id, id);
        return ctx.services.webhooks.secrets(webhook);
    }
    async createWebhook(input, ctx) {
        const { account, apiKey } = (0, context_1.principalOf)(ctx);
        return ctx.services.webhooks.create(account.id, apiKey.id, { ...input, filters: input.filters });
    }
    async updateWebhook(id, input, ctx) {
        return ctx.services.webhooks.update((0, context_1.principalOf)(ctx).account.id, id, { ...input, filters: input.filters });
    }
    async deleteWebhook(id, ctx) {
        return ctx.services.webhooks.delete((0, context_1.principalOf)(ctx).account.id, id);
    }
    async rotateWebhookSecret(id, ctx, secret) {
        return ctx.services.webhooks.rotateSecret((0, context_1.principalOf)(ctx).account.id, id, secret);
    }
};
exports.WebhookResolver = WebhookResolver;
__decorate([
    (0, type_graphql_1.Query)(() => webhook_type_1.Webhook, { description: 'A webhook of your account (also a soft-deleted one).' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], WebhookResolver.prototype, "webhook", null);
__decorate([
    (0, type_graphql_1.Query)(() => webhook_type_1.WebhookConnection),
    __param(0, (0, type_graphql_1.Ctx)()),
    __param(1, (0, type_graphql_1.Arg)('first', () => type_graphql_1.Int, { nullable: true })),
    __param(2, (0, type_graphql_1.Arg)('after', () => String, { nullable: true })),
    __param(3, (0, type_graphql_1.Arg)('filter', () => webhook_inputs_1.WebhookFilter, { nullable: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Number, String, webhook_inputs_1.WebhookFilter]),
    __metadata("design:returntype", Promise)
], WebhookResolver.prototype, "webhooks", null);
__decorate([
    (0, type_graphql_1.Query)(() => webhook_type_1.WebhookSecret, { description: 'The signing secret(s) of a webhook.' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], WebhookResolver.prototype, "webhookSecret", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => webhook_type_1.WebhookWithSecret),
    __param(0, (0, type_graphql_1.Arg)('input', () => webhook_inputs_1.CreateWebhookInput)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [webhook_inputs_1.CreateWebhookInput, Object]),
    __metadata("design:returntype", Promise)
], WebhookResolver.prototype, "createWebhook", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => webhook_type_1.Webhook),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Arg)('input', () => webhook_inputs_1.UpdateWebhookInput)),
    __param(2, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, webhook_inputs_1.UpdateWebhookInput, Object]),
    __metadata("design:returntype", Promise)
], WebhookResolver.prototype, "updateWebhook", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => webhook_type_1.Webhook, { description: 'Soft delete: the webhook stops receiving and leaves lists; its history stays.' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], WebhookResolver.prototype, "deleteWebhook", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => webhook_type_1.WebhookWithSecret, { description: 'New secret (given or generated); the old one keeps signing for 24 h.' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __param(2, (0, type_graphql_1.Arg)('secret', () => String, { nullable: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object, String]),
    __metadata("design:returntype", Promise)
], WebhookResolver.prototype, "rotateWebhookSecret", null);
exports.WebhookResolver = WebhookResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => webhook_type_1.Webhook)
], WebhookResolver);
