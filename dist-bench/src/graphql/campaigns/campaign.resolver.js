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
exports.CampaignResolver = void 0;
const type_graphql_1 = require("type-graphql");
const context_1 = require("../../context");
const campaign_type_1 = require("./campaign.type");
let CampaignResolver = class CampaignResolver {
    campaigns(ctx) {
        return ctx.services.campaigns.list((0, context_1.principalOf)(ctx).account.id);
    }
    upsertCampaign(input, ctx) {
        return ctx.services.campaigns.upsert((0, context_1.principalOf)(ctx).account.id, input);
    }
};
exports.CampaignResolver = CampaignResolver;
__decorate([
    (0, type_graphql_1.Query)(() => [campaign_type_1.Campaign]),
    __param(0, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], CampaignResolver.prototype, "campaigns", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => campaign_type_1.Campaign, {
        description: 'Creates or updates a campaign; a status change publishes campaign.activated / campaign.paused.',
    }),
    __param(0, (0, type_graphql_1.Arg)('input', () => campaign_type_1.UpsertCampaignInput)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [campaign_type_1.UpsertCampaignInput, Object]),
    __metadata("design:returntype", void 0)
], CampaignResolver.prototype, "upsertCampaign", null);
exports.CampaignResolver = CampaignResolver = __decorate([
    (0, type_graphql_1.Resolver)()
], CampaignResolver);
