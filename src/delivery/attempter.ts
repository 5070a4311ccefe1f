import type { EventEntity, WebhookEntity } from '../db/entities';
import type { AttemptRecord, ClaimedDelivery } from '../outbox/types';
import type { EngineMetrics } from './metrics';
import { bodyFor, requestHeaders } from './request';
import { decideAfterAttempt } from './retry-policy';
import type { SendRequest, SendResult } from './sender';

/** Defaults for one-off targets (no webhook row): the webhook defaults. */
const ONE_OFF = { timeoutSeconds: 30, maxRetries: 4 };

export interface AttempterDeps {
  send: (req: SendRequest) => Promise<SendResult>;
  /** Signing secrets of a webhook, newest first. */
  webhookSecrets: (webhook: WebhookEntity) => string[];
  /** The account secret that signs one-off targets. */
  accountSecret: (accountId: string) => Promise<string>;
  retryScheduleMs: readonly number[];
  metrics?: EngineMetrics;
}

/** Why a delivery to this webhook must not be sent now, or null. */
export function notSendableReason(webhook: WebhookEntity | undefined): string | null {
  if (!webhook || webhook.deletedAt) return 'the webhook was deleted';
  if (!webhook.enabled) return 'the webhook is PAUSED';
  if (webhook.status !== 'ACTIVE') return `the webhook is ${webhook.status}`;
  return null;
}

/**
 * One attempt of one delivery: sign, POST, and decide what follows (the retry policy). Used by the
 * worker for queued deliveries and by testWebhook for an immediate one. `body` may be passed in when
 * several deliveries share the event (the envelope; a DATA webhook gets the payload itself).
 */
export async function attemptDelivery(
  deps: AttempterDeps,
  d: ClaimedDelivery,
  event: EventEntity,
  webhook: WebhookEntity | undefined,
  opts: { body?: string; noRetry?: boolean; /** send even to a paused webhook (testWebhook) */ force?: boolean } = {},
): Promise<AttemptRecord> {
  if (d.webhookId) {
    const why = opts.force && webhook && !webhook.deletedAt ? null : notSendableReason(webhook);
    if (why) return { delivery: d, attempt: null, status: 'FAILED', nextAttemptAt: null, lastError: `not sent: ${why}`, gone: false };
  }
  const body = bodyFor(event, webhook?.payloadFormat, opts.body);
  const number = d.attemptCount + 1;
  const secrets = webhook ? deps.webhookSecrets(webhook) : [await deps.accountSecret(d.accountId)];
  const startedAt = new Date();
  const res = await deps.send({
    url: webhook?.url ?? d.targetUrl!,
    headers: requestHeaders({ event, deliveryId: d.id, attempt: number, body, secrets, custom: webhook?.headers, hexHeader: webhook?.signatureHeader }),
    body,
    timeoutMs: (webhook?.timeoutSeconds ?? ONE_OFF.timeoutSeconds) * 1000,
  });
  const decision = decideAfterAttempt({
    attempt: number - d.attemptBase,
    maxRetries: opts.noRetry ? 0 : webhook?.maxRetries ?? ONE_OFF.maxRetries,
    status: res.status,
    errorKind: res.errorKind,
    retryAfterMs: res.retryAfterMs,
    schedule: deps.retryScheduleMs,
  });
  deps.metrics?.attempt(decision.outcome, res.durationMs);
  const retry = decision.outcome === 'retry';
  return {
    delivery: d,
    attempt: {
      number,
      trigger: d.nextTrigger,
      startedAt,
      durationMs: Math.round(res.durationMs),
      responseStatus: res.status ?? null,
      responseBody: res.body || null,
      errorKind: res.errorKind ?? null,
      error: res.error ?? null,
    },
    status: decision.outcome === 'succeeded' ? 'SUCCEEDED' : retry ? 'PENDING' : 'FAILED',
    nextAttemptAt: retry ? new Date(Date.now() + decision.delayMs) : null,
    lastError: decision.outcome === 'succeeded' ? null : res.error ?? `HTTP ${res.status}`,
    gone: decision.outcome === 'gone',
  };
}
