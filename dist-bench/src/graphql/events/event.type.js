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
exports.PublishEventInput = exports.EventConnection = exports.Event = void 0;
const class_validator_1 = require("class-validator");
const graphql_scalars_1 = require("graphql-scalars");
const type_graphql_1 = require("type-graphql");
const connection_1 = require("../common/connection");
const validators_1 = require("../common/validators");
let Event = class Event {
    id;
    type;
    payload;
    occurredAt;
    idempotencyKey;
    createdAt;
};
exports.Event = Event;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Event.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], Event.prototype, "type", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject),
    __metadata("design:type", Object)
], Event.prototype, "payload", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Event.prototype, "occurredAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], Event.prototype, "idempotencyKey", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Event.prototype, "createdAt", void 0);
exports.Event = Event = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'An event as published. Its id is the webhook-id receivers get, on every retry.' })
], Event);
let EventConnection = class EventConnection extends (0, connection_1.ConnectionType)(Event, 'Event') {
};
exports.EventConnection = EventConnection;
exports.EventConnection = EventConnection = __decorate([
    (0, type_graphql_1.ObjectType)()
], EventConnection);
let PublishEventInput = class PublishEventInput {
    type;
    payload;
    occurredAt;
    idempotencyKey;
    deliverAfterSeconds;
    webhookUrl;
    webhookEvents;
};
exports.PublishEventInput = PublishEventInput;
__decorate([
    (0, type_graphql_1.Field)({ description: 'A catalog event type (see eventTypes).' }),
    (0, class_validator_1.IsNotEmpty)({ message: 'is required' }),
    (0, class_validator_1.Validate)(validators_1.PublishableEventType),
    __metadata("design:type", String)
], PublishEventInput.prototype, "type", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject),
    (0, class_validator_1.IsObject)({ message: 'must be an object' }),
    __metadata("design:type", Object)
], PublishEventInput.prototype, "payload", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true, description: 'When it happened; default now.' }),
    (0, class_validator_1.IsOptional)(),
    __metadata("design:type", Date)
], PublishEventInput.prototype, "occurredAt", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true, description: 'Publishing twice with one key yields the first event, not a second.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsNotEmpty)({ message: 'must not be empty' }),
    (0, class_validator_1.MaxLength)(255, { message: 'must be at most 255 characters' }),
    __metadata("design:type", String)
], PublishEventInput.prototype, "idempotencyKey", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true, description: "Delay before the first attempt, 0–86400 s; default the type's (call.completed 15 s)." }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0, { message: 'must be between 0 and 86400' }),
    (0, class_validator_1.Max)(86_400, { message: 'must be between 0 and 86400' }),
    __metadata("design:type", Number)
], PublishEventInput.prototype, "deliverAfterSeconds", void 0);
__decorate([
    (0, type_graphql_1.Field)({ nullable: true, description: 'A one-off target for this event only (per-call webhook), signed with the account signing secret.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.MaxLength)(500, { message: 'must be at most 500 characters' }),
    (0, class_validator_1.Validate)(validators_1.HttpUrl),
    __metadata("design:type", String)
], PublishEventInput.prototype, "webhookUrl", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [String], { nullable: true, description: 'Which types the one-off target wants; default this event\'s type.' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.ArrayMinSize)(1, { message: 'must contain at least 1 event' }),
    (0, class_validator_1.ArrayMaxSize)(100),
    (0, class_validator_1.Validate)(validators_1.SubscribableEvents),
    __metadata("design:type", Array)
], PublishEventInput.prototype, "webhookEvents", void 0);
exports.PublishEventInput = PublishEventInput = __decorate([
    (0, type_graphql_1.InputType)()
], PublishEventInput);
