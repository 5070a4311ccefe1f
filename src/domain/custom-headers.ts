/** Headers Hookline sets itself (or that HTTP owns); a webhook's custom headers may not override them. */
const RESERVED = new Set([
  'content-type',
  'content-length',
  'host',
  'user-agent',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);
const RESERVED_PREFIXES = ['webhook-', 'x-hookline-'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** True for a header Hookline sets itself (or HTTP owns), compared case-insensitively. */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p));
}

/** True for a valid HTTP header name (an RFC 9110 token of at most 100 characters). */
export function isHeaderName(name: string): boolean {
  return TOKEN.test(name) && name.length <= 100;
}

/** At most this many custom headers per webhook. */
export const MAX_CUSTOM_HEADERS = 20;

/** Validates a webhook's custom headers; returns messages (empty when valid). */
export function validateCustomHeaders(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return ['must be an object of header name to string value'];
  const entries = Object.entries(input);
  const errors: string[] = [];
  if (entries.length > MAX_CUSTOM_HEADERS) errors.push(`at most ${MAX_CUSTOM_HEADERS} headers`);
  for (const [name, value] of entries) {
    if (!isHeaderName(name)) errors.push(`"${name}" is not a valid header name`);
    else if (isReservedHeader(name))
      errors.push(`"${name}" is set by Hookline and cannot be overridden`);
    if (typeof value !== 'string') errors.push(`"${name}" must have a string value`);
    else if (value.length > 1000 || /[\r\n\0]/.test(value)) errors.push(`"${name}" value must be ≤ 1000 characters with no line breaks`);
  }
  return errors;
}
