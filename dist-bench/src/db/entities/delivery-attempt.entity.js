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
exports.DeliveryAttemptEntity = void 0;
const typeorm_1 = require("typeorm");
let DeliveryAttemptEntity = class DeliveryAttemptEntity {
    id;
    deliveryId;
    webhookId;
    accountId;
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
exports.DeliveryAttemptEntity = DeliveryAttemptEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], DeliveryAttemptEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'delivery_id', type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttemptEntity.prototype, "deliveryId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'webhook_id', type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttemptEntity.prototype, "webhookId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'account_id', type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], DeliveryAttemptEntity.prototype, "accountId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'int' }),
    __metadata("design:type", Number)
], DeliveryAttemptEntity.prototype, "number", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], DeliveryAttemptEntity.prototype, "trigger", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'started_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], DeliveryAttemptEntity.prototype, "startedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'duration_ms', type: 'int' }),
    __metadata("design:type", Number)
], DeliveryAttemptEntity.prototype, "durationMs", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'response_status', type: 'int', nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttemptEntity.prototype, "responseStatus", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'response_body', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttemptEntity.prototype, "responseBody", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'error_kind', type: 'varchar', length: 20, nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttemptEntity.prototype, "errorKind", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 500, nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttemptEntity.prototype, "error", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], DeliveryAttemptEntity.prototype, "nextAttemptAt", void 0);
exports.DeliveryAttemptEntity = DeliveryAttemptEntity = __decorate([
    (0, typeorm_1.Entity)('delivery_attempts')
], DeliveryAttemptEntity);
