/** The shapes the console reads (a subset of schema.graphql, written by hand for the queries in queries.ts). */
export type WebhookStatus = 'ACTIVE' | 'PAUSED' | 'AUTO_DISABLED';
export type DeliveryStatus = 'PENDING' | 'IN_FLIGHT' | 'SUCCEEDED' | 'FAILED';
export const DELIVERY_STATUSES: DeliveryStatus[] = ['PENDING', 'IN_FLIGHT', 'SUCCEEDED', 'FAILED'];

export interface EventType {
  name: string;
  description: string;
  examplePayload: Record<string, unknown>;
  defaultDelaySeconds: number;
}

export interface Stats {
  deliveries: number;
  succeeded?: number;
  failed?: number;
  pending?: number;
  attempts?: number;
  successRate: number | null;
  p50LatencyMs?: number | null;
  p95LatencyMs: number | null;
}

export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  filters: Record<string, unknown> | null;
  timeoutSeconds: number;
  maxRetries: number;
  enabled: boolean;
  status: WebhookStatus;
  disabledReason: string | null;
  headers: Record<string, string> | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  stats: Stats;
}

export interface Attempt {
  id: string;
  number: number;
  trigger: 'SCHEDULED' | 'MANUAL' | 'TEST';
  startedAt: string;
  durationMs: number;
  responseStatus: number | null;
  responseBody: string | null;
  errorKind: string | null;
  error: string | null;
  nextAttemptAt: string | null;
}

export interface DeliveryRow {
  id: string;
  status: DeliveryStatus;
  attemptCount: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  eventId: string;
  webhookId: string | null;
  targetUrl: string | null;
  event: { id: string; type: string };
  webhook: { id: string; name: string } | null;
}

export interface DeliveryDetail extends DeliveryRow {
  nextAttemptAt: string | null;
  succeededAt: string | null;
  event: { id: string; type: string; payload: Record<string, unknown>; occurredAt: string; idempotencyKey: string | null };
  attempts: Attempt[];
}

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
