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
exports.IdempotencyRecordEntity = void 0;
const typeorm_1 = require("typeorm");
/** The stored first response to a mutation sent with an Idempotency-Key (kept 24 h). */
let IdempotencyRecordEntity = class IdempotencyRecordEntity {
    accountId;
    key;
    requestHash;
    state;
    responseStatus;
    responseBody;
    lockedUntil;
    expiresAt;
    createdAt;
};
exports.IdempotencyRecordEntity = IdempotencyRecordEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'account_id', type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], IdempotencyRecordEntity.prototype, "accountId", void 0);
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'idem_key', type: 'varchar', length: 255 }),
    __metadata("design:type", String)
], IdempotencyRecordEntity.prototype, "key", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'request_hash', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], IdempotencyRecordEntity.prototype, "requestHash", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], IdempotencyRecordEntity.prototype, "state", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'response_status', type: 'int', nullable: true }),
    __metadata("design:type", Object)
], IdempotencyRecordEntity.prototype, "responseStatus", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'response_body', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], IdempotencyRecordEntity.prototype, "responseBody", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'locked_until', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], IdempotencyRecordEntity.prototype, "lockedUntil", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'expires_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], IdempotencyRecordEntity.prototype, "expiresAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], IdempotencyRecordEntity.prototype, "createdAt", void 0);
exports.IdempotencyRecordEntity = IdempotencyRecordEntity = __decorate([
    (0, typeorm_1.Entity)('idempotency_records')
], IdempotencyRecordEntity);
