import type { EventEntity } from '../db/entities';
import type { PayloadFormat } from '../db/entities/webhook.entity';
import { payloadJson } from '../domain/payload-json';
import { signatureHeaders } from '../domain/signing';

const VERSION: string = require('../../package.json').version;
/** The user-agent every request carries. */
export const USER_AGENT = `Hookline/${VERSION}`;

/** The compact JSON body a receiver gets: `{"id","type","timestamp","data"}`. */
export function envelope(event: Pick<EventEntity, 'id' | 'type' | 'occurredAt' | 'payload'>): string {
  const data = payloadJson(event.payload);
  if (data === undefined) return JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt.toISOString() });
  // JSON.stringify of {id, type, timestamp, data}, reusing the payload's text.
  return `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"timestamp":"${event.occurredAt.toISOString()}","data":${data}}`;
}

/** The body for a webhook's payload format: the envelope (shared by every ENVELOPE delivery of the event), or for DATA the payload itself. */
export function bodyFor(event: Pick<EventEntity, 'id' | 'type' | 'occurredAt' | 'payload'>, format: PayloadFormat | undefined, envelopeBody?: string): string {
  return format === 'DATA' ? payloadJson(event.payload) ?? 'null' : envelopeBody ?? envelope(event);
}

/** Every header of one attempt: custom ones first, so Hookline's own can never be overridden. */
export function requestHeaders(input: {
  event: Pick<EventEntity, 'id' | 'type'>;
  deliveryId: string;
  attempt: number;
  body: string;
  secrets: readonly string[];
  custom?: Record<string, string> | null;
  timestampSec?: number;
  /** Name of the hex HMAC header. @default 'x-hookline-signature' */
  hexHeader?: string;
}): Record<string, string> {
  return {
    ...input.custom,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-hookline-event': input.event.type,
    'x-hookline-delivery': input.deliveryId,
    'x-hookline-attempt': String(input.attempt),
    ...signatureHeaders({ id: input.event.id, timestampSec: input.timestampSec ?? Math.floor(Date.now() / 1000), body: input.body, secrets: input.secrets, hexHeader: input.hexHeader }),
  };
}
