import { baseEventType, findEventType, WILDCARD_EVENT } from './event-types';
import { filterSizeProblems } from './match-limits';

/** One filter value: compared with a payload field by equality, or as a SQL-LIKE pattern. */
export type FilterScalar = string | number | boolean | null;
/** A scalar, or an array meaning any-of. */
export type FilterValue = FilterScalar | FilterScalar[];
/** Payload field (or derived key) → wanted value; every key must match. */
export type Filters = Record<string, FilterValue>;

/** Context for derived keys: the conversion outcomes of a campaign (undefined when Hookline does not know the campaign). */
export interface MatchContext {
  conversionOutcomes(campaignId: string): readonly string[] | undefined;
}

/** What a webhook or a live subscription listens to. */
export interface Subscription {
  events: readonly string[];
  filters?: Filters | null;
}

/** An event as the matcher sees it. */
export interface MatchableEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** Derived key: true when the payload's `disposition` is a conversion outcome of its `campaign_id`. */
export const IS_CONVERSION_KEY = 'is_conversion';
/** Most keys one `filters` object may hold. @default 50 */
export const MAX_FILTER_KEYS = 50;
/** Longest filter key (characters). @default 100 */
export const MAX_FILTER_KEY_LENGTH = 100;
/** Most values in one any-of array. @default 100 */
export const MAX_FILTER_ARRAY_LENGTH = 100;
/** Longest string value or pattern (characters). @default 500 */
export const MAX_FILTER_STRING_LENGTH = 500;

/** A context that knows no campaign, so `is_conversion` is false everywhere. */
export const NO_CAMPAIGNS: MatchContext = { conversionOutcomes: () => undefined };

/** A context over campaigns already loaded (fan-out loads them in one query, see `campaignIdsNeeded`). */
export function contextFromCampaigns(
  campaigns: Iterable<{ id: string; conversionOutcomes: readonly string[] }>,
): MatchContext {
  const outcomes = new Map<string, readonly string[]>();
  for (const c of campaigns) outcomes.set(c.id, c.conversionOutcomes);
  return { conversionOutcomes: (id) => outcomes.get(id) };
}

/** The derived `is_conversion`: false when the campaign is unknown or the payload has no `disposition`. */
export function isConversion(payload: Record<string, unknown>, ctx: MatchContext): boolean {
  const campaignId = payload.campaign_id;
  const disposition = payload.disposition;
  if (typeof campaignId !== 'string' || typeof disposition !== 'string') return false;
  return ctx.conversionOutcomes(campaignId)?.includes(disposition) ?? false;
}

function describeKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

function scalarProblem(v: unknown): string | undefined {
  if (v === null || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : 'numbers must be finite';
  if (typeof v === 'string') {
    return v.length > MAX_FILTER_STRING_LENGTH
      ? `strings may hold at most ${MAX_FILTER_STRING_LENGTH} characters (got ${v.length})`
      : undefined;
  }
  return 'values must be a string, number, boolean, null, or a non-empty array of those';
}

function valueProblem(key: string, v: unknown): string | undefined {
  if (key === IS_CONVERSION_KEY) return typeof v === 'boolean' ? undefined : 'must be true or false';
  if (!Array.isArray(v)) return scalarProblem(v);
  if (v.length === 0) return 'an any-of array must not be empty';
  if (v.length > MAX_FILTER_ARRAY_LENGTH) {
    return `an any-of array may hold at most ${MAX_FILTER_ARRAY_LENGTH} values (got ${v.length})`;
  }
  for (const member of v) {
    const problem = Array.isArray(member) ? 'arrays must not be nested' : scalarProblem(member);
    if (problem) return problem;
  }
  return undefined;
}

/** Checks user input for `filters`; returns human messages, one per bad key (empty when valid). */
export function validateFilters(input: unknown): string[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return ['filters must be an object of payload field → value'];
  }
  const proto = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return ['filters must be a plain JSON object'];
  const keys = Object.keys(input);
  // Past the cap the per-key messages would only be noise; the count is what to fix first.
  if (keys.length > MAX_FILTER_KEYS) return [`filters may hold at most ${MAX_FILTER_KEYS} keys (got ${keys.length})`];
  const messages: string[] = [];
  for (const key of keys) {
    if (key.length === 0) messages.push('filter keys must not be empty');
    else if (key.length > MAX_FILTER_KEY_LENGTH) {
      messages.push(`filter key ${describeKey(key)} is longer than ${MAX_FILTER_KEY_LENGTH} characters`);
    } else {
      const problem = valueProblem(key, (input as Record<string, unknown>)[key]);
      if (problem) messages.push(`filter ${describeKey(key)}: ${problem}`);
    }
  }
  // Size bounds (publish-time matching cost, column size) once each value is sound.
  return messages.length ? messages : filterSizeProblems(input as Filters);
}

/**
 * True for a string that `compileMatcher` treats as a SQL-LIKE pattern: only `%` makes one, so that
 * ids such as `camp_abc123` keep meaning themselves (inside a pattern `_` is the one-character wildcard).
 */
export function isLikePattern(value: string): boolean {
  return value.includes('%');
}

// Exactly the characters the `u` flag lets us escape; escaping any other one is a syntax error there.
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

/**
 * Compiles a SQL-LIKE pattern (`%` any run, `_` one character, backslash escapes the next character,
 * case-insensitive, anchored) into a test that runs in O(value × pattern) whatever the pattern: the
 * pattern is split at `%` into fixed-length pieces, each found leftmost in turn. A single regex with
 * `.*` between pieces would backtrack polynomially (`%a%a%a%b` over a long transcript), and these
 * patterns are user input evaluated inside fan-out.
 */
export function compileLike(pattern: string): (value: string) => boolean {
  const pieces: string[] = [''];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '%') {
      // A run of `%` is one `%`; an empty middle piece would only cost a search.
      if (pieces[pieces.length - 1] !== '' || pieces.length === 1) pieces.push('');
      continue;
    }
    if (ch === '_') {
      pieces[pieces.length - 1] += '.';
      continue;
    }
    let literal = ch;
    // A trailing lone backslash stays a literal backslash, as in MySQL.
    if (ch === '\\' && i + 1 < pattern.length) literal = pattern[++i];
    pieces[pieces.length - 1] += REGEX_SPECIAL.test(literal) ? `\\${literal}` : literal;
  }
  // `s`: `_` matches a newline too; `u`: one `_` is one code point; `i`: MySQL's default *_ci collation.
  if (pieces.length === 1) {
    const whole = new RegExp(`^(?:${pieces[0]})$`, 'isu');
    return (value) => whole.test(value);
  }
  const head = pieces[0] === '' ? undefined : new RegExp(pieces[0], 'isuy');
  const last = pieces[pieces.length - 1];
  const tail = last === '' ? undefined : new RegExp(`(?:${last})$`, 'isug');
  const middle = pieces.slice(1, -1).map((p) => new RegExp(p, 'isug'));
  return (value) => {
    let pos = 0;
    if (head) {
      head.lastIndex = 0;
      if (!head.test(value)) return false;
      pos = head.lastIndex;
    }
    for (const re of middle) {
      re.lastIndex = pos;
      if (!re.test(value)) return false;
      pos = re.lastIndex;
    }
    if (!tail) return true;
    tail.lastIndex = pos;
    return tail.test(value);
  };
}

type ValueTest = (actual: unknown) => boolean;

function compileScalar(wanted: FilterScalar): ValueTest {
  if (wanted === null) return (actual) => actual === null || actual === undefined;
  if (typeof wanted === 'string' && isLikePattern(wanted)) {
    const like = compileLike(wanted);
    return (actual) => typeof actual === 'string' && like(actual);
  }
  return (actual) => actual === wanted;
}

function compileValue(wanted: FilterValue): ValueTest {
  if (!Array.isArray(wanted)) return compileScalar(wanted);
  const tests = wanted.map(compileScalar);
  return (actual) => {
    for (const test of tests) if (test(actual)) return true;
    return false;
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Reads a key from the payload: the top-level field, else (for a dotted key) the nested field it names. */
function compileReader(key: string): (payload: Record<string, unknown>) => unknown {
  const path = key.includes('.') ? key.split('.') : undefined;
  return (payload) => {
    if (hasOwn.call(payload, key)) return payload[key];
    if (!path) return undefined;
    let node: unknown = payload;
    for (const step of path) {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !hasOwn.call(node, step)) return undefined;
      node = (node as Record<string, unknown>)[step];
    }
    return node;
  };
}

type TypeTest = (event: MatchableEvent) => boolean;

function compileTypes(events: readonly string[]): TypeTest {
  if (events.includes(WILDCARD_EVENT)) return () => true;
  const plain = new Set<string>();
  const dispositions = new Map<string, Set<string>>();
  for (const name of events) {
    const base = baseEventType(name);
    // Names outside the catalog are kept as exact types so that producers' own types still route.
    if (base === undefined || findEventType(name)) {
      plain.add(name);
      continue;
    }
    const wanted = dispositions.get(base) ?? new Set<string>();
    wanted.add(name.slice(base.length + 1));
    dispositions.set(base, wanted);
  }
  return (event) => {
    if (plain.has(event.type)) return true;
    const wanted = dispositions.get(event.type);
    if (wanted === undefined) return false;
    const disposition = event.payload.disposition;
    return typeof disposition === 'string' && wanted.has(disposition);
  };
}

/**
 * Compiles a subscription once into the predicate used by webhook fan-out and live subscriptions.
 *
 * - Types: any entry matching is enough; `*` matches every type; `call.completed.booked_callback`
 *   matches `call.completed` events whose `disposition` is `booked_callback`.
 * - Filters (AND over keys): a scalar means strict equality (no string/number coercion); an array
 *   means any-of; a string holding `%` is a case-insensitive SQL-LIKE pattern over string values
 *   (see `compileLike`; `_` is a wildcard only inside such a pattern); `null` matches a null or absent field; any other wanted value never
 *   matches an absent field. A dotted key (`metadata.source`) walks nested objects when the payload
 *   has no top-level field of that exact name. `is_conversion` compares with `isConversion()`,
 *   which is checked last so that cheaper keys can rule an event out without a campaign lookup.
 */
export function compileMatcher(sub: Subscription): (event: MatchableEvent, ctx: MatchContext) => boolean {
  const { typeMatches, fieldTests, conversionTest } = compileParts(sub);
  return (event, ctx) => {
    if (!typeMatches(event)) return false;
    const payload = event.payload;
    for (const { read, test } of fieldTests) if (!test(read(payload))) return false;
    return conversionTest === undefined || conversionTest(isConversion(payload, ctx));
  };
}

/**
 * The same tests as {@link compileMatcher}, in the same order, answering why an event does not
 * match: undefined when it matches, else the first condition that failed. The filter dry-run
 * (previewMatch) shows these reasons; fan-out keeps the boolean matcher, which builds no strings.
 */
export function compileExplainer(sub: Subscription): (event: MatchableEvent, ctx: MatchContext) => string | undefined {
  const { typeMatches, fieldTests, conversionTest } = compileParts(sub);
  return (event, ctx) => {
    if (!typeMatches(event)) return `type ${JSON.stringify(event.type)} is not among the subscribed events`;
    const payload = event.payload;
    for (const { key, read, test } of fieldTests) {
      const actual = read(payload);
      if (!test(actual)) return `filter ${describeKey(key)}: wanted ${JSON.stringify(sub.filters![key])}, got ${describeActual(actual)}`;
    }
    if (conversionTest === undefined) return undefined;
    const conversion = isConversion(payload, ctx);
    if (conversionTest(conversion)) return undefined;
    return `filter "${IS_CONVERSION_KEY}": wanted ${JSON.stringify(sub.filters![IS_CONVERSION_KEY])}, got ${conversion}`;
  };
}

function compileParts(sub: Subscription) {
  const typeMatches = compileTypes(sub.events);
  const fieldTests: Array<{ key: string; read: (p: Record<string, unknown>) => unknown; test: ValueTest }> = [];
  let conversionTest: ValueTest | undefined;
  for (const [key, wanted] of Object.entries(sub.filters ?? {})) {
    if (key === IS_CONVERSION_KEY) conversionTest = compileValue(wanted);
    else fieldTests.push({ key, read: compileReader(key), test: compileValue(wanted) });
  }
  return { typeMatches, fieldTests, conversionTest };
}

function describeActual(actual: unknown): string {
  if (actual === undefined) return 'no such field';
  const text = JSON.stringify(actual);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Whether matching this subscription may need campaign data (its filters use `is_conversion`). */
export function needsConversion(sub: Subscription): boolean {
  return sub.filters != null && hasOwn.call(sub.filters, IS_CONVERSION_KEY);
}

/** The distinct campaign ids these events name that matching them against these subscriptions needs loaded (none when no subscription filters on `is_conversion`). */
export function campaignIdsNeeded(
  events: readonly Pick<MatchableEvent, 'payload'>[],
  subs: readonly Subscription[],
): string[] {
  if (!subs.some(needsConversion)) return [];
  const ids = new Set<string>();
  for (const { payload } of events) {
    if (typeof payload.campaign_id === 'string' && typeof payload.disposition === 'string') ids.add(payload.campaign_id);
  }
  return [...ids];
}
