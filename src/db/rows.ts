import type { DeliveryEntity, EventEntity } from './entities';
import type { ColumnMap } from './sql';
import { newId } from '../domain/ids';
import { payloadJson } from '../domain/payload-json';

/** How an event row is written by raw inserts (must agree with EventEntity). */
export const EVENT_COLUMNS: ColumnMap<EventEntity> = [
  ['id', (e) => e.id],
  ['account_id', (e) => e.accountId],
  ['type', (e) => e.type],
  ['payload', (e) => payloadJson(e.payload)],
  ['occurred_at', (e) => e.occurredAt],
  ['idempotency_key', (e) => e.idempotencyKey],
  ['created_at', (e) => e.createdAt],
];

/** How a delivery row is written by raw inserts (must agree with DeliveryEntity). */
export const DELIVERY_COLUMNS: ColumnMap<DeliveryEntity> = [
  ['id', (d) => d.id],
  ['account_id', (d) => d.accountId],
  ['event_id', (d) => d.eventId],
  ['webhook_id', (d) => d.webhookId],
  ['target_url', (d) => d.targetUrl],
  ['status', (d) => d.status],
  ['attempt_count', (d) => d.attemptCount],
  ['attempt_base', (d) => d.attemptBase],
  ['next_trigger', (d) => d.nextTrigger],
  ['next_attempt_at', (d) => d.nextAttemptAt],
  ['locked_until', (d) => d.lockedUntil],
  ['lease_token', (d) => d.leaseToken],
  ['last_response_status', (d) => d.lastResponseStatus],
  ['last_error', (d) => d.lastError],
  ['succeeded_at', (d) => d.succeededAt],
  ['created_at', (d) => d.createdAt],
  ['updated_at', (d) => d.updatedAt],
];

/**
 * A new delivery row: PENDING and due at `nextAttemptAt` unless `overrides` say otherwise. The one
 * place a delivery starts its life (fan-out, replay, testWebhook).
 */
export function newDelivery(
  fields: Pick<DeliveryEntity, 'accountId' | 'eventId' | 'webhookId' | 'targetUrl' | 'nextAttemptAt'> & Partial<DeliveryEntity>,
  now = new Date(),
): DeliveryEntity {
  return {
    id: newId(),
    status: 'PENDING',
    attemptCount: 0,
    attemptBase: 0,
    nextTrigger: 'SCHEDULED',
    lockedUntil: null,
    leaseToken: null,
    lastResponseStatus: null,
    lastError: null,
    succeededAt: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}
