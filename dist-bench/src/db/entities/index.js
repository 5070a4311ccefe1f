"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ENTITIES = exports.WebhookEntity = exports.IdempotencyRecordEntity = exports.EventEntity = exports.DeliveryEntity = exports.DeliveryAttemptEntity = exports.CampaignEntity = exports.ApiKeyEntity = exports.AccountEntity = void 0;
const account_entity_1 = require("./account.entity");
Object.defineProperty(exports, "AccountEntity", { enumerable: true, get: function () { return account_entity_1.AccountEntity; } });
const api_key_entity_1 = require("./api-key.entity");
Object.defineProperty(exports, "ApiKeyEntity", { enumerable: true, get: function () { return api_key_entity_1.ApiKeyEntity; } });
const campaign_entity_1 = require("./campaign.entity");
Object.defineProperty(exports, "CampaignEntity", { enumerable: true, get: function () { return campaign_entity_1.CampaignEntity; } });
const delivery_attempt_entity_1 = require("./delivery-attempt.entity");
Object.defineProperty(exports, "DeliveryAttemptEntity", { enumerable: true, get: function () { return delivery_attempt_entity_1.DeliveryAttemptEntity; } });
const delivery_entity_1 = require("./delivery.entity");
Object.defineProperty(exports, "DeliveryEntity", { enumerable: true, get: function () { return delivery_entity_1.DeliveryEntity; } });
const event_entity_1 = require("./event.entity");
Object.defineProperty(exports, "EventEntity", { enumerable: true, get: function () { return event_entity_1.EventEntity; } });
const idempotency_record_entity_1 = require("./idempotency-record.entity");
Object.defineProperty(exports, "IdempotencyRecordEntity", { enumerable: true, get: function () { return idempotency_record_entity_1.IdempotencyRecordEntity; } });
const webhook_entity_1 = require("./webhook.entity");
Object.defineProperty(exports, "WebhookEntity", { enumerable: true, get: function () { return webhook_entity_1.WebhookEntity; } });
exports.ENTITIES = [
    account_entity_1.AccountEntity,
    api_key_entity_1.ApiKeyEntity,
    webhook_entity_1.WebhookEntity,
    event_entity_1.EventEntity,
    delivery_entity_1.DeliveryEntity,
    delivery_attempt_entity_1.DeliveryAttemptEntity,
    campaign_entity_1.CampaignEntity,
    idempotency_record_entity_1.IdempotencyRecordEntity,
];
