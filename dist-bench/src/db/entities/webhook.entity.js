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
exports.WebhookEntity = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("./columns");
/** A webhook subscription. Secrets are stored sealed (see domain/secret-box) and never exposed as fields. */
let WebhookEntity = class WebhookEntity {
    id;
    accountId;
    name;
    url;
    events;
    filters;
    secretSealed;
    previousSecretSealed;
    previousSecretExpiresAt;
    timeoutSeconds;
    maxRetries;
    enabled;
    status;
    disabledReason;
    headers;
    createdByApiKeyId;
    /** Start of the current run of consecutive failed deliveries (null when the last one succeeded). */
    failingSince;
    consecutiveFailures;
    createdAt;
    updatedAt;
    deletedAt;
};
exports.WebhookEntity = WebhookEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], WebhookEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'account_id', type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], WebhookEntity.prototype, "accountId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 255 }),
    __metadata("design:type", String)
], WebhookEntity.prototype, "name", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 500 }),
    __metadata("design:type", String)
], WebhookEntity.prototype, "url", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text', transformer: columns_1.jsonText }),
    __metadata("design:type", Array)
], WebhookEntity.prototype, "events", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text', nullable: true, transformer: columns_1.jsonText }),
    __metadata("design:type", Object)
], WebhookEntity.prototype, "filters", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'secret_sealed', type: 'varchar', length: 512 }),
    __metadata("design:type", String)
], WebhookEntity.prototype, "secretSealed", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'previous_secret_sealed', type: 'varchar', length: 512, nullable: true }),
    __metadata("design:type", Object)
], WebhookEntity.prototype, "previousSecretSealed", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'previous_secret_expires_at', type: 'datetime', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], WebhookEntity.prototype, "previousSecretExpiresAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'timeout_seconds', type: 'int' }),
    __metadata("design:type", Number)
], WebhookEntity.prototype, "timeoutSeconds", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'max_retries', type: 'int' }),
    __metadata("design:type", Number)
], WebhookEntity.prototype, "maxRetries", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'boolean' }),
    __metadata("design:type", Boolean)
], WebhookEntity.prototype, "enabled", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 20 }),
    __metadata("design:type", String)
], WebhookEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'disabled_reason', type: 'varchar', length: 500, nullable: true }),
    __metadata("design:type", Object)
], WebhookEntity.prototype, "disabledReason", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text', nullable: true, transformer: columns_1.jsonText }),
    __metadata("design:type", Object)
], WebhookEntity.prototype, "headers", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_by_api_key_id', type: 'varchar', length: 36, nullable: true }),
    __metadata("design:type", Object)
], WebhookEntity.prototype, "createdByApiKeyId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'failing_since', type: 'datetime', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], WebhookEntity.prototype, "failingSince", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'consecutive_failures', type: 'int', default: 0 }),
    __metadata("design:type", Number)
], WebhookEntity.prototype, "consecutiveFailures", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], WebhookEntity.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'updated_at', type: 'datetime', precision: 3 }),
    __metadata("design:type", Date)
], WebhookEntity.prototype, "updatedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true }),
    __metadata("design:type", Object)
], WebhookEntity.prototype, "deletedAt", void 0);
exports.WebhookEntity = WebhookEntity = __decorate([
    (0, typeorm_1.Entity)('webhooks')
], WebhookEntity);
