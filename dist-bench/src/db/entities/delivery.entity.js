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
exports.DeliveryEntity = void 0;
const typeorm_1 = require("typeorm");
/**
 * One event for one webhook: the outbox row the engine claims. `webhookId` is null for a one-off
 * target given with the event (`targetUrl` then holds it).
 */
let DeliveryEntity = class DeliveryEntity {
    id;
    accountId;
    eventId;
    webhookId;
    targetUrl;
    status;
    attemptCount;
    /** attemptCount when the delivery was last re-queued by hand: the retry budget counts from here. */
    attemptBase;
    /** How the next attempt is recorded: SCHEDULED, or MANUAL after redeliver/replay. */
    nextTrigger;
    nextAttemptAt;
    lockedUntil;
    leaseToken;
    lastResponseStatus;
    lastError;
    succeededAt;
    createdAt;
    updatedAt;
};
exports.DeliveryEntity = DeliveryEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], DeliveryEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'account_id', type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], DeliveryEntity.prototype, "accountId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'event_id', type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], DeliveryEntity.prototype, "eventId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'webhook_id', type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], DeliveryEntity.prototype, "webhookId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'target_url', type: 'varchar', length: 500, nullable: true }),
    __metadata("design:type", Object)
], DeliveryEntity.prototype, "targetUrl", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], DeliveryEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'attempt_count', type: 'int' }),
    __metadata("design:type", Number)
], DeliveryEntity.prototype, "attemptCount", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'attempt_base', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], DeliveryEntity.prototype, "attemptBase", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'next_trigger', type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], DeliveryEntity.prototype, "nextTrigger", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], DeliveryEntity.prototype, "nextAttemptAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'locked_until', type: 'datetime', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], DeliveryEntity.prototype, "lockedUntil", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'lease_token', type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], DeliveryEntity.prototype, "leaseToken", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'last_response_status', type: 'int', nullable: true }),
    __metadata("design:type", Object)
], DeliveryEntity.prototype, "lastResponseStatus", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'last_error', type: 'varchar', length: 500, nullable: true }),
    __metadata("design:type", Object)
], DeliveryEntity.prototype, "lastError", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'succeeded_at', type: 'datetime', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], DeliveryEntity.prototype, "succeededAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], DeliveryEntity.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'updated_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], DeliveryEntity.prototype, "updatedAt", void 0);
exports.DeliveryEntity = DeliveryEntity = __decorate([
    (0, typeorm_1.Entity)('deliveries')
], DeliveryEntity);
