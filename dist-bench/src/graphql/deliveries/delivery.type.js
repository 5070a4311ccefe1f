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
exports.ReplayResult = exports.WebhookStats = exports.DeliveryConnection = exports.Delivery = exports.DeliveryAttempt = exports.ErrorKindEnum = exports.AttemptTriggerEnum = exports.DeliveryStatusEnum = void 0;
const type_graphql_1 = require("type-graphql");
const connection_1 = require("../common/connection");
var DeliveryStatusEnum;
(function (DeliveryStatusEnum) {
    DeliveryStatusEnum["PENDING"] = "PENDING";
    DeliveryStatusEnum["IN_FLIGHT"] = "IN_FLIGHT";
    DeliveryStatusEnum["SUCCEEDED"] = "SUCCEEDED";
    DeliveryStatusEnum["FAILED"] = "FAILED";
})(DeliveryStatusEnum || (exports.DeliveryStatusEnum = DeliveryStatusEnum = {}));
(0, type_graphql_1.registerEnumType)(DeliveryStatusEnum, { name: 'DeliveryStatus' });
var AttemptTriggerEnum;
(function (AttemptTriggerEnum) {
    AttemptTriggerEnum["SCHEDULED"] = "SCHEDULED";
    AttemptTriggerEnum["MANUAL"] = "MANUAL";
    AttemptTriggerEnum["TEST"] = "TEST";
})(AttemptTriggerEnum || (exports.AttemptTriggerEnum = AttemptTriggerEnum = {}));
(0, type_graphql_1.registerEnumType)(AttemptTriggerEnum, { name: 'AttemptTrigger' });
var ErrorKindEnum;
(function (ErrorKindEnum) {
    ErrorKindEnum["TIMEOUT"] = "TIMEOUT";
    ErrorKindEnum["CONNECTION"] = "CONNECTION";
    ErrorKindEnum["DNS"] = "DNS";
    ErrorKindEnum["TLS"] = "TLS";
    ErrorKindEnum["BLOCKED_TARGET"] = "BLOCKED_TARGET";
    ErrorKindEnum["HTTP_STATUS"] = "HTTP_STATUS";
})(ErrorKindEnum || (exports.ErrorKindEnum = ErrorKindEnum = {}));
(0, type_graphql_1.registerEnumType)(ErrorKindEnum, { name: 'ErrorKind', description: 'Why an attempt failed; HTTP_STATUS means the receiver answered with a non-2xx status.' });
let DeliveryAttempt = class DeliveryAttempt {
    id;
    deliveryId;
    number;
    trigger;
    startedAt;
    durationMs;
    responseStatus;
    responseBody;
    errorKind;
    error;
    nextAttemptAt;
};
exports.DeliveryAttempt = DeliveryAttempt;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], DeliveryAttempt.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttempt.prototype, "deliveryId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { description: '1 for the first attempt.' }),
    __metadata("design:type", Number)
], DeliveryAttempt.prototype, "number", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => AttemptTriggerEnum),
    __metadata("design:type", String)
], DeliveryAttempt.prototype, "trigger", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], DeliveryAttempt.prototype, "startedAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], DeliveryAttempt.prototype, "durationMs", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttempt.prototype, "responseStatus", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true, description: 'The first 4 KiB of the response body.' }),
    __metadata("design:type", Object)
], DeliveryAttempt.prototype, "responseBody", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => ErrorKindEnum, { nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttempt.prototype, "errorKind", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttempt.prototype, "error", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true, description: 'When the retry that follows is due (null when none follows).' }),
    __metadata("design:type", Object)
], DeliveryAttempt.prototype, "nextAttemptAt", void 0);
exports.DeliveryAttempt = DeliveryAttempt = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'One HTTP attempt of a delivery.' })
], DeliveryAttempt);
let Delivery = class Delivery {
    id;
    eventId;
    webhookId;
    targetUrl;
    status;
    attemptCount;
    nextAttemptAt;
    lastResponseStatus;
    lastError;
    succeededAt;
    createdAt;
    updatedAt;
};
exports.Delivery = Delivery;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Delivery.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Delivery.prototype, "eventId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], Delivery.prototype, "webhookId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true, description: 'The one-off target, when the event named one.' }),
    __metadata("design:type", Object)
], Delivery.prototype, "targetUrl", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => DeliveryStatusEnum),
    __metadata("design:type", String)
], Delivery.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], Delivery.prototype, "attemptCount", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], Delivery.prototype, "nextAttemptAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true }),
    __metadata("design:type", Object)
], Delivery.prototype, "lastResponseStatus", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], Delivery.prototype, "lastError", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], Delivery.prototype, "succeededAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Delivery.prototype, "createdAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Delivery.prototype, "updatedAt", void 0);
exports.Delivery = Delivery = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'One event for one webhook (or for the one-off target given with the event).' })
], Delivery);
let DeliveryConnection = class DeliveryConnection extends (0, connection_1.ConnectionType)(Delivery, 'Delivery') {
};
exports.DeliveryConnection = DeliveryConnection;
exports.DeliveryConnection = DeliveryConnection = __decorate([
    (0, type_graphql_1.ObjectType)()
], DeliveryConnection);
let WebhookStats = class WebhookStats {
    windowHours;
    deliveries;
    succeeded;
    failed;
    pending;
    attempts;
    successRate;
    p50LatencyMs;
    p95LatencyMs;
};
exports.WebhookStats = WebhookStats;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], WebhookStats.prototype, "windowHours", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], WebhookStats.prototype, "deliveries", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], WebhookStats.prototype, "succeeded", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], WebhookStats.prototype, "failed", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { description: 'PENDING or IN_FLIGHT.' }),
    __metadata("design:type", Number)
], WebhookStats.prototype, "pending", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int),
    __metadata("design:type", Number)
], WebhookStats.prototype, "attempts", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Float, { nullable: true, description: 'succeeded / (succeeded + failed); null with no settled delivery.' }),
    __metadata("design:type", Object)
], WebhookStats.prototype, "successRate", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true }),
    __metadata("design:type", Object)
], WebhookStats.prototype, "p50LatencyMs", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true }),
    __metadata("design:type", Object)
], WebhookStats.prototype, "p95LatencyMs", void 0);
exports.WebhookStats = WebhookStats = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'Delivery health of a webhook over a window (default the last 24 h).' })
], WebhookStats);
let ReplayResult = class ReplayResult {
    count;
};
exports.ReplayResult = ReplayResult;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { description: 'Deliveries queued.' }),
    __metadata("design:type", Number)
], ReplayResult.prototype, "count", void 0);
exports.ReplayResult = ReplayResult = __decorate([
    (0, type_graphql_1.ObjectType)()
], ReplayResult);
