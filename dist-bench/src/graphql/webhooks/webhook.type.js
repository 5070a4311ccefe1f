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
exports.WebhookConnection = exports.WebhookSecret = exports.WebhookWithSecret = exports.Webhook = exports.WebhookStatusEnum = void 0;
const type_graphql_1 = require("type-graphql");
const graphql_scalars_1 = require("graphql-scalars");
const connection_1 = require("../common/connection");
var WebhookStatusEnum;
(function (WebhookStatusEnum) {
    WebhookStatusEnum["ACTIVE"] = "ACTIVE";
    WebhookStatusEnum["PAUSED"] = "PAUSED";
    WebhookStatusEnum["AUTO_DISABLED"] = "AUTO_DISABLED";
})(WebhookStatusEnum || (exports.WebhookStatusEnum = WebhookStatusEnum = {}));
(0, type_graphql_1.registerEnumType)(WebhookStatusEnum, {
    name: 'WebhookStatus',
    description: 'ACTIVE delivers; PAUSED was disabled by a user; AUTO_DISABLED by Hookline (410 Gone, or failing for days).',
});
/** A webhook subscription. Its secret is never a field here: see `webhookSecret`. */
let Webhook = class Webhook {
    id;
    accountId;
    name;
    url;
    events;
    get eventsCount() {
        return this.events.length;
    }
    filters;
    timeoutSeconds;
    maxRetries;
    enabled;
    status;
    disabledReason;
    headers;
    createdByApiKeyId;
    createdAt;
    updatedAt;
    deletedAt;
};
exports.Webhook = Webhook;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Webhook.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Webhook.prototype, "accountId", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], Webhook.prototype, "name", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], Webhook.prototype, "url", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [String], { description: 'Event types or sub-events (call.completed.booked_callback).' }),
    __metadata("design:type", Array)
], Webhook.prototype, "events", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number),
    __metadata("design:paramtypes", [])
], Webhook.prototype, "eventsCount", null);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject, { nullable: true }),
    __metadata("design:type", Object)
], Webhook.prototype, "filters", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], Webhook.prototype, "timeoutSeconds", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], Webhook.prototype, "maxRetries", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Boolean)
], Webhook.prototype, "enabled", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => WebhookStatusEnum),
    __metadata("design:type", String)
], Webhook.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], Webhook.prototype, "disabledReason", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject, { nullable: true }),
    __metadata("design:type", Object)
], Webhook.prototype, "headers", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], Webhook.prototype, "createdByApiKeyId", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Webhook.prototype, "createdAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Webhook.prototype, "updatedAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], Webhook.prototype, "deletedAt", void 0);
exports.Webhook = Webhook = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'A webhook subscription: where to POST which events.' })
], Webhook);
let WebhookWithSecret = class WebhookWithSecret {
    webhook;
    secret;
};
exports.WebhookWithSecret = WebhookWithSecret;
__decorate([
    (0, type_graphql_1.Field)(() => Webhook),
    __metadata("design:type", Webhook)
], WebhookWithSecret.prototype, "webhook", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'The signing secret (whsec_…). Store it now: it is shown in full only here and by webhookSecret.' }),
    __metadata("design:type", String)
], WebhookWithSecret.prototype, "secret", void 0);
exports.WebhookWithSecret = WebhookWithSecret = __decorate([
    (0, type_graphql_1.ObjectType)()
], WebhookWithSecret);
let WebhookSecret = class WebhookSecret {
    secret;
    previousSecret;
    previousSecretExpiresAt;
};
exports.WebhookSecret = WebhookSecret;
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], WebhookSecret.prototype, "secret", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true, description: 'The secret before the last rotation, still signing until previousSecretExpiresAt.' }),
    __metadata("design:type", Object)
], WebhookSecret.prototype, "previousSecret", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], WebhookSecret.prototype, "previousSecretExpiresAt", void 0);
exports.WebhookSecret = WebhookSecret = __decorate([
    (0, type_graphql_1.ObjectType)()
], WebhookSecret);
let WebhookConnection = class WebhookConnection extends (0, connection_1.ConnectionType)(Webhook, 'Webhook') {
};
exports.WebhookConnection = WebhookConnection;
exports.WebhookConnection = WebhookConnection = __decorate([
    (0, type_graphql_1.ObjectType)()
], WebhookConnection);
