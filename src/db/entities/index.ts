import { AccountEntity } from './account.entity';
import { AgentEntity } from './agent.entity';
import { ApiKeyEntity } from './api-key.entity';
import { CampaignEntity } from './campaign.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryEntity } from './delivery.entity';
import { EventEntity } from './event.entity';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { WebhookEntity } from './webhook.entity';

export {
  AccountEntity,
  AgentEntity,
  ApiKeyEntity,
  CampaignEntity,
  DeliveryAttemptEntity,
  DeliveryEntity,
  EventEntity,
  IdempotencyRecordEntity,
  WebhookEntity,
};

export const ENTITIES = [
  AccountEntity,
  ApiKeyEntity,
  WebhookEntity,
  EventEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  CampaignEntity,
  IdempotencyRecordEntity,
  AgentEntity,
];
