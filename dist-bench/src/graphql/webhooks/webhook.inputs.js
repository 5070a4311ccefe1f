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
exports.WebhookFilter = exports.UpdateWebhookInput = exports.CreateWebhookInput = void 0;
const class_validator_1 = require("class-validator");
const type_graphql_1 = require("type-graphql");
const graphql_scalars_1 = require("graphql-scalars");
const validators_1 = require("../common/validators");
const webhook_type_1 = require("./webhook.type");
let CreateWebhookInput = class CreateWebhookInput {
    name;
    url;
    events;
    filters;
    secret;
    timeoutSeconds;
    maxRetries;
    enabled;
    headers;
};
exports.CreateWebhookInput = CreateWebhookInput;
__decorate([
    (0, type_graphql_1.Field)(),
    (0, class_validator_1.IsNotEmpty)({ message: 'is required' }),
    (0, class_validator_1.MaxLength)(255, { message: 'must be at most 255 characters' }),
    __metadata("design:type", String)
], CreateWebhookInput.prototype, "name", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    (0, class_validator_1.IsNotEmpty)({ message: 'is required' }),
    (0, class_validator_1.MaxLength)(500, { message: 'must be at most 500 characters' }),
    (0, class_validator_1.Validate)(validators_1.HttpUrl),
    __metadata("design:type", String)
], CreateWebhookInput.prototype, "url", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [String]),
    (0, class_validator_1.ArrayMinSize)(1, { message: 'must contain at least 1 event' }),
    (0, class_validator_1.ArrayMaxSize)(100, { message: 'must contain at most 100 events' }),
    (0, class_validator_1.Validate)(validators_1.SubscribableEvents),
    __metadata("design:type", Array)
], CreateWebhookInput.prototype, "events", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject, { nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.Validate)(validators_1.ValidFilters),
    __metadata("design:type", Object)
], CreateWebhookInput.prototype, "filters", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true, description: 'whsec_… secret; generated when omitted.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.MaxLength)(255),
    (0, class_validator_1.Validate)(validators_1.ValidSecret),
    __metadata("design:type", String)
], CreateWebhookInput.prototype, "secret", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true, description: 'Seconds for the whole request, 5–120. Default 30.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(5, { message: 'must be between 5 and 120' }),
    (0, class_validator_1.Max)(120, { message: 'must be between 5 and 120' }),
    __metadata("design:type", Number)
], CreateWebhookInput.prototype, "timeoutSeconds", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true, description: 'Retries after the first attempt, 0–10. Default 4.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0, { message: 'must be between 0 and 10' }),
    (0, class_validator_1.Max)(10, { message: 'must be between 0 and 10' }),
    __metadata("design:type", Number)
], CreateWebhookInput.prototype, "maxRetries", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true, description: 'Default true.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], CreateWebhookInput.prototype, "enabled", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject, { nullable: true, description: 'Extra request headers (may not override Hookline\'s own).' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.Validate)(validators_1.ValidCustomHeaders),
    __metadata("design:type", Object)
], CreateWebhookInput.prototype, "headers", void 0);
exports.CreateWebhookInput = CreateWebhookInput = __decorate([
    (0, type_graphql_1.InputType)()
], CreateWebhookInput);
let UpdateWebhookInput = class UpdateWebhookInput {
    name;
    url;
    events;
    filters;
    timeoutSeconds;
    maxRetries;
    enabled;
    headers;
};
exports.UpdateWebhookInput = UpdateWebhookInput;
__decorate([
    (0, type_graphql_1.Field)({ nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsNotEmpty)({ message: 'must not be empty' }),
    (0, class_validator_1.MaxLength)(255, { message: 'must be at most 255 characters' }),
    __metadata("design:type", String)
], UpdateWebhookInput.prototype, "name", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.MaxLength)(500, { message: 'must be at most 500 characters' }),
    (0, class_validator_1.Validate)(validators_1.HttpUrl),
    __metadata("design:type", String)
], UpdateWebhookInput.prototype, "url", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [String], { nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.ArrayMinSize)(1, { message: 'must contain at least 1 event' }),
    (0, class_validator_1.ArrayMaxSize)(100, { message: 'must contain at most 100 events' }),
    (0, class_validator_1.Validate)(validators_1.SubscribableEvents),
    __metadata("design:type", Array)
], UpdateWebhookInput.prototype, "events", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject, { nullable: true, description: 'null clears the filters.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.Validate)(validators_1.ValidFilters),
    __metadata("design:type", Object)
], UpdateWebhookInput.prototype, "filters", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(5, { message: 'must be between 5 and 120' }),
    (0, class_validator_1.Max)(120, { message: 'must be between 5 and 120' }),
    __metadata("design:type", Number)
], UpdateWebhookInput.prototype, "timeoutSeconds", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0, { message: 'must be between 0 and 10' }),
    (0, class_validator_1.Max)(10, { message: 'must be between 0 and 10' }),
    __metadata("design:type", Number)
], UpdateWebhookInput.prototype, "maxRetries", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true, description: 'false pauses (status PAUSED); true re-enables, also after AUTO_DISABLED.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], UpdateWebhookInput.prototype, "enabled", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject, { nullable: true }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.Validate)(validators_1.ValidCustomHeaders),
    __metadata("design:type", Object)
], UpdateWebhookInput.prototype, "headers", void 0);
exports.UpdateWebhookInput = UpdateWebhookInput = __decorate([
    (0, type_graphql_1.InputType)({ description: 'Only the fields given change.' })
], UpdateWebhookInput);
let WebhookFilter = class WebhookFilter {
    enabled;
    status;
    event;
    includeDeleted;
};
exports.WebhookFilter = WebhookFilter;
__decorate([
    (0, type_graphql_1.Field)({ nullable: true }),
    __metadata("design:type", Boolean)
], WebhookFilter.prototype, "enabled", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => webhook_type_1.WebhookStatusEnum, { nullable: true }),
    __metadata("design:type", String)
], WebhookFilter.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true, description: 'Webhooks subscribed to exactly this event name.' }),
    __metadata("design:type", String)
], WebhookFilter.prototype, "event", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true, description: 'Include soft-deleted webhooks.' }),
    __metadata("design:type", Boolean)
], WebhookFilter.prototype, "includeDeleted", void 0);
exports.WebhookFilter = WebhookFilter = __decorate([
    (0, type_graphql_1.InputType)()
], WebhookFilter);
