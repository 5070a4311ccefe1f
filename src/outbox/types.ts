import type { AttemptTrigger } from '../db/entities/delivery-attempt.entity';
import type { DeliveryStatus } from '../db/entities/delivery.entity';
import type { DeliverySnapshot } from '../domain/domain-events';
import type { ErrorKind } from '../delivery/retry-policy';

/** A delivery this worker holds a lease on (claimed, or handed over at publish). */
export interface ClaimedDelivery {
  id: string;
  accountId: string;
  eventId: string;
  webhookId: string | null;
  targetUrl: string | null;
  attemptCount: number;
  attemptBase: number;
  nextTrigger: AttemptTrigger;
  createdAt: Date;
  leaseToken: string;
  /** When the lease runs out: past it another worker may take the row, so nothing more is done with it here. */
  lockedUntil: Date;
}

/** The outcome of one attempt, as the engine records it. */
export interface AttemptRecord {
  delivery: ClaimedDelivery;
  /** Null when no request was made (the webhook was deleted or paused meanwhile). */
  attempt: {
    number: number;
    trigger: AttemptTrigger;
    startedAt: Date;
    durationMs: number;
    responseStatus: number | null;
    responseBody: string | null;
    errorKind: ErrorKind | null;
    error: string | null;
  } | null;
  status: Extract<DeliveryStatus, 'PENDING' | 'SUCCEEDED' | 'FAILED'>;
  nextAttemptAt: Date | null;
  lastError: string | null;
  /** The receiver answered 410 Gone: the webhook is disabled. */
  gone: boolean;
}

/** Webhook health rules applied when results are recorded. */
export interface HealthRules {
  /** A webhook failing every delivery this long (ms) is AUTO_DISABLED; 0 = never. */
  autoDisableAfterMs: number;
  autoDisableMinFailures: number;
}

/** The state a recorded result leaves its delivery in, as subscribers see it. */
export function snapshotOf(r: AttemptRecord, now: Date): DeliverySnapshot {
  const d = r.delivery;
  return {
    id: d.id,
    accountId: d.accountId,
    eventId: d.eventId,
    webhookId: d.webhookId,
    targetUrl: d.targetUrl,
    status: r.status,
    attemptCount: r.attempt ? r.attempt.number : d.attemptCount,
    nextAttemptAt: r.nextAttemptAt,
    lastResponseStatus: r.attempt?.responseStatus ?? null,
    lastError: r.lastError,
    succeededAt: r.status === 'SUCCEEDED' ? now : null,
    createdAt: d.createdAt,
    updatedAt: now,
  };
}

/** A span for people: `5 d`, `36 h`, `12 min`, `1.5 s`. */
export function formatSpan(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
  for (const [size, unit] of units) {
    if (ms >= size) return `${Number((ms / size).toFixed(1))} ${unit}`;
  }
  return `${Math.round(ms)} ms`;
}
