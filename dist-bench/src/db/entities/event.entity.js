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
exports.EventEntity = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("./columns");
let EventEntity = class EventEntity {
    id;
    accountId;
    type;
    payload;
    occurredAt;
    idempotencyKey;
    createdAt;
};
exports.EventEntity = EventEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], EventEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'account_id', type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], EventEntity.prototype, "accountId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 120 }),
    __metadata("design:type", String)
], EventEntity.prototype, "type", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text', transformer: columns_1.jsonText }),
    __metadata("design:type", Object)
], EventEntity.prototype, "payload", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'occurred_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], EventEntity.prototype, "occurredAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true }),
    __metadata("design:type", Object)
], EventEntity.prototype, "idempotencyKey", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], EventEntity.prototype, "createdAt", void 0);
exports.EventEntity = EventEntity = __decorate([
    (0, typeorm_1.Entity)('events')
], EventEntity);
