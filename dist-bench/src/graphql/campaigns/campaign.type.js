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
Object.defineProperty(exports, "__esModule", { value: true });
exports.UpsertCampaignInput = exports.Campaign = exports.CampaignStatusEnum = void 0;
const class_validator_1 = require("class-validator");
const type_graphql_1 = require("type-graphql");
var CampaignStatusEnum;
(function (CampaignStatusEnum) {
    CampaignStatusEnum["ACTIVE"] = "ACTIVE";
    CampaignStatusEnum["PAUSED"] = "PAUSED";
})(CampaignStatusEnum || (exports.CampaignStatusEnum = CampaignStatusEnum = {}));
(0, type_graphql_1.registerEnumType)(CampaignStatusEnum, { name: 'CampaignStatus' });
let Campaign = class Campaign {
    id;
    name;
    conversionOutcomes;
    status;
    createdAt;
    updatedAt;
};
exports.Campaign = Campaign;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { description: "The producer's own id, e.g. camp_abc123." }),
    __metadata("design:type", String)
], Campaign.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], Campaign.prototype, "name", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [String], { description: 'Dispositions that count as a conversion.' }),
    __metadata("design:type", Array)
], Campaign.prototype, "conversionOutcomes", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => CampaignStatusEnum),
    __metadata("design:type", String)
], Campaign.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Campaign.prototype, "createdAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Campaign.prototype, "updatedAt", void 0);
exports.Campaign = Campaign = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'A campaign mirrored from the calling platform, for the is_conversion filter.' })
], Campaign);
let UpsertCampaignInput = class UpsertCampaignInput {
    id;
    name;
    conversionOutcomes;
    status;
};
exports.UpsertCampaignInput = UpsertCampaignInput;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    (0, class_validator_1.MinLength)(1, { message: 'is required' }),
    (0, class_validator_1.MaxLength)(120, { message: 'must be at most 120 characters' }),
    (0, class_validator_1.Matches)(/^[A-Za-z0-9_.:-]+$/, { message: 'may contain only letters, digits and _ . : -' }),
    __metadata("design:type", String)
], UpsertCampaignInput.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.MinLength)(1, { message: 'must not be empty' }),
    (0, class_validator_1.MaxLength)(255, { message: 'must be at most 255 characters' }),
    __metadata("design:type", String)
], UpsertCampaignInput.prototype, "name", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [String], { nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.ArrayMaxSize)(100, { message: 'must contain at most 100 outcomes' }),
    (0, class_validator_1.MaxLength)(100, { each: true, message: 'each outcome must be at most 100 characters' }),
    __metadata("design:type", Array)
], UpsertCampaignInput.prototype, "conversionOutcomes", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => CampaignStatusEnum, { nullable: true }),
    (0, class_validator_1.IsOptional)(),
    __metadata("design:type", String)
], UpsertCampaignInput.prototype, "status", void 0);
exports.UpsertCampaignInput = UpsertCampaignInput = __decorate([
    (0, type_graphql_1.InputType)()
], UpsertCampaignInput);
