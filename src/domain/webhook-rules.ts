import type { PayloadFormat } from '../db/entities/webhook.entity';
import { isHeaderName, isReservedHeader, validateCustomHeaders } from './custom-headers';
import type { Violation } from './errors';
import { isSubscribableEvent } from './event-types';
import { validateFilters, type Filters } from './filters';
import { validateSecret } from './signing';

/** Longest webhook name (characters). @default 255 */
export const MAX_NAME_LENGTH = 255;
/** Longest webhook URL (characters). @default 500 */
export const MAX_URL_LENGTH = 500;
/** Most event names one webhook may list. @default 100 */
export const MAX_EVENTS = 100;
/** Whole-request timeout bounds, in seconds. */
export const TIMEOUT_RANGE = [5, 120] as const;
/** Retries after the first attempt. */
export const RETRIES_RANGE = [0, 10] as const;
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_RETRIES = 4;
export const PAYLOAD_FORMATS: readonly PayloadFormat[] = ['ENVELOPE', 'DATA'];
/** The hex HMAC header unless a webhook names another one. */
export const DEFAULT_SIGNATURE_HEADER = 'x-hookline-signature';

/** What a webhook is made of, in domain names; each face maps its own field names onto these. */
export interface WebhookInput {
  name: string;
  url: string;
  events: string[];
  filters?: Filters | null;
  secret?: string | null;
  timeoutSeconds?: number | null;
  maxRetries?: number | null;
  enabled?: boolean | null;
  headers?: Record<string, string> | null;
  payloadFormat?: PayloadFormat | null;
  signatureHeader?: string | null;
  /** Set by the agent-scoped face (or GraphQL): the webhook hears only this agent's events. */
  agentId?: string | null;
}

/** Narrowings a face may add to the rules (its document allows less than Hookline does). */
export interface WebhookRuleOptions {
  /** Every event name must match this. */
  eventPattern?: RegExp;
}

/** A webhook input as a face received it (REST bodies are untyped JSON): the service checks every field before use. */
export type UncheckedWebhookInput = { [K in keyof WebhookInput]?: unknown };

/** An absolute http(s) URL as WHATWG parses it, with no credentials (numeric hosts parse, then meet the target policy). */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && !u.username && !u.password;
  } catch {
    return false;
  }
}

const present = (v: unknown) => v !== undefined && v !== null;

/**
 * The shape rules of a webhook, one set for every face: returns every broken rule (empty when the
 * input is fine). `create` requires name, url and events; an update checks only the fields given.
 * Values arrive untyped from REST, so types are checked too. The target policy (needs DNS) is the
 * service's next step, on a URL that passed these.
 */
export function checkWebhookShape(input: UncheckedWebhookInput, mode: 'create' | 'update', opts: WebhookRuleOptions = {}): Violation[] {
  const out: Violation[] = [];
  const add = (field: keyof WebhookInput, rule: Violation['rule'], message: string, args?: Violation['args']) => out.push({ field, rule, message, args });

  const { name, url, events } = input;
  if (!present(name) || name === '') {
    if (mode === 'create' || name === '') add('name', 'required', mode === 'create' ? 'is required' : 'must not be empty');
  } else if (typeof name !== 'string') add('name', 'string', 'must be a string');
  else if (name.length > MAX_NAME_LENGTH) add('name', 'maxLength', `must be at most ${MAX_NAME_LENGTH} characters`, [MAX_NAME_LENGTH]);

  if (!present(url) || url === '') {
    if (mode === 'create' || url === '') add('url', 'required', 'is required');
  } else if (typeof url !== 'string') add('url', 'string', 'must be a string');
  else if (url.length > MAX_URL_LENGTH) add('url', 'maxLength', `must be at most ${MAX_URL_LENGTH} characters`, [MAX_URL_LENGTH]);
  else if (!isHttpUrl(url)) add('url', 'url', 'must be an http or https URL');

  if (!present(events)) {
    if (mode === 'create') add('events', 'required', 'is required');
  } else if (!Array.isArray(events)) add('events', 'invalid', 'must be a list of event types');
  else if (events.length < 1) add('events', 'minItems', 'must contain at least 1 event', [1]);
  else if (events.length > MAX_EVENTS) add('events', 'maxItems', `must contain at most ${MAX_EVENTS} events`, [MAX_EVENTS]);
  else {
    const bad = events.filter((e) => typeof e !== 'string' || !isSubscribableEvent(e));
    if (bad.length) add('events', 'oneOf', `unknown event type ${bad.map((e) => JSON.stringify(e)).join(', ')} (see the eventTypes query)`);
    else if (opts.eventPattern && !events.every((e) => opts.eventPattern!.test(e as string))) add('events', 'oneOf', `must match ${opts.eventPattern.source}`);
  }

  if (present(input.filters)) for (const m of validateFilters(input.filters)) add('filters', 'invalid', m);
  if (present(input.headers)) {
    for (const m of validateCustomHeaders(input.headers)) add('headers', 'invalid', m);
    // A custom header named like the hex signature header would travel beside it and could pass for it.
    const hex = typeof input.signatureHeader === 'string' ? input.signatureHeader.toLowerCase() : undefined;
    const clash = typeof input.headers === 'object' && hex && Object.keys(input.headers as object).find((n) => n.toLowerCase() === hex);
    if (clash) add('headers', 'invalid', `"${clash}" is the signature header and cannot be set`);
  }
  if (present(input.secret)) {
    if (typeof input.secret !== 'string') add('secret', 'string', 'must be a string');
    else for (const m of validateSecret(input.secret)) add('secret', 'invalid', m);
  }
  checkIntRange(input.timeoutSeconds, TIMEOUT_RANGE, (rule, message, args) => add('timeoutSeconds', rule, message, args));
  checkIntRange(input.maxRetries, RETRIES_RANGE, (rule, message, args) => add('maxRetries', rule, message, args));
  if (present(input.enabled) && typeof input.enabled !== 'boolean') add('enabled', 'boolean', 'must be true or false');
  if (present(input.payloadFormat) && !PAYLOAD_FORMATS.includes(input.payloadFormat as PayloadFormat)) {
    add('payloadFormat', 'oneOf', `must be one of ${PAYLOAD_FORMATS.join(', ')}`, PAYLOAD_FORMATS);
  }
  if (present(input.signatureHeader)) {
    const h = input.signatureHeader;
    if (typeof h !== 'string' || !isHeaderName(h)) add('signatureHeader', 'invalid', 'must be a valid HTTP header name of at most 100 characters');
    else if (h.toLowerCase() !== DEFAULT_SIGNATURE_HEADER && isReservedHeader(h)) add('signatureHeader', 'invalid', `"${h}" is set by Hookline and cannot be used`);
  }
  return out;
}

function checkIntRange(v: unknown, [min, max]: readonly [number, number], add: (rule: Violation['rule'], message: string, args?: Violation['args']) => void) {
  if (!present(v)) return;
  if (typeof v !== 'number' || !Number.isInteger(v)) add('integer', 'must be an integer');
  else if (v < min || v > max) add('between', `must be between ${min} and ${max}`, [min, max]);
}
