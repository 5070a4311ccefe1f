import { isLikePattern, type Filters } from './filters';
import { payloadJson } from './payload-json';

/**
 * Bounds on what publish-time matching may be asked to do. A LIKE pattern is tested against one
 * payload string in time up to (string length × pattern length) — about 1.5 ns per pair here, so
 * 100 pattern characters over a 64 KiB string is ~10 ms at worst and far less in practice — and
 * matching runs inside the publish transaction, so both sides are capped.
 */

/** Largest event payload, as JSON (bytes). @default 65_536 */
export const MAX_PAYLOAD_BYTES = 65_536;
/** Characters of LIKE pattern one `filters` object may hold, all patterns together. @default 100 */
export const MAX_FILTER_PATTERN_CHARS = 100;
/** Largest `filters` object, as JSON (bytes): MySQL's TEXT column holds 65,535. @default 65_535 */
export const MAX_FILTERS_BYTES = 65_535;

/** What is wrong with a payload's size, or undefined. */
export function payloadSizeProblem(payload: unknown): string | undefined {
  const bytes = Buffer.byteLength(payloadJson(payload) ?? '', 'utf8');
  return bytes > MAX_PAYLOAD_BYTES ? `must be at most ${MAX_PAYLOAD_BYTES} bytes as JSON (got ${bytes})` : undefined;
}

/** What is wrong with the size of (otherwise valid) filters: their LIKE pattern characters and their stored size. */
export function filterSizeProblems(filters: Filters): string[] {
  const problems: string[] = [];
  let patternChars = 0;
  for (const value of Object.values(filters)) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string' && isLikePattern(v)) patternChars += v.length;
  }
  if (patternChars > MAX_FILTER_PATTERN_CHARS) {
    problems.push(`LIKE patterns may hold at most ${MAX_FILTER_PATTERN_CHARS} characters in all (got ${patternChars})`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(filters), 'utf8');
  if (bytes > MAX_FILTERS_BYTES) problems.push(`filters may take at most ${MAX_FILTERS_BYTES} bytes as JSON (got ${bytes})`);
  return problems;
}
