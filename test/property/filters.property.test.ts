import fc from 'fast-check';
import { compileMatcher, FilterScalar, FilterValue, NO_CAMPAIGNS } from '../../src/domain/filters';

/**
 * The filter engine against a reference model written as plainly as possible, on random filters and
 * payloads. The rule modelled: a string holding `%` is a SQL LIKE pattern (`%` any run, `_` one
 * character, `\` escapes the next one, a trailing `\` is itself, ASCII case-insensitive, anchored);
 * any other string, `_` or not, is plain equality.
 */

type Token = { kind: 'any' } | { kind: 'one' } | { kind: 'lit'; ch: string };

function tokensOf(pattern: string): Token[] {
  const chars = [...pattern];
  const out: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '%') out.push({ kind: 'any' });
    else if (chars[i] === '_') out.push({ kind: 'one' });
    else if (chars[i] === '\\' && i + 1 < chars.length) out.push({ kind: 'lit', ch: chars[++i] });
    else out.push({ kind: 'lit', ch: chars[i] });
  }
  return out;
}

/** LIKE by dynamic programming over (pattern token, value character): no regex, no cleverness. */
function likeModel(pattern: string, value: string): boolean {
  const t = tokensOf(pattern);
  const v = [...value];
  // ok[i][j]: the first i tokens match the first j characters.
  const ok = Array.from({ length: t.length + 1 }, () => Array<boolean>(v.length + 1).fill(false));
  ok[0][0] = true;
  for (let i = 1; i <= t.length; i++) {
    for (let j = 0; j <= v.length; j++) {
      const tok = t[i - 1];
      if (tok.kind === 'any') ok[i][j] = ok[i - 1][j] || (j > 0 && ok[i][j - 1]);
      else if (j > 0) ok[i][j] = ok[i - 1][j - 1] && (tok.kind === 'one' || tok.ch.toLowerCase() === v[j - 1].toLowerCase());
    }
  }
  return ok[t.length][v.length];
}

function scalarModel(wanted: FilterScalar, actual: unknown): boolean {
  if (wanted === null) return actual === null || actual === undefined;
  if (typeof wanted === 'string' && wanted.includes('%')) return typeof actual === 'string' && likeModel(wanted, actual);
  return actual === wanted;
}

function filtersModel(filters: Record<string, FilterValue>, payload: Record<string, unknown>): boolean {
  return Object.entries(filters).every(([key, wanted]) => {
    const actual = Object.prototype.hasOwnProperty.call(payload, key) ? payload[key] : undefined;
    return Array.isArray(wanted) ? wanted.some((w) => scalarModel(w, actual)) : scalarModel(wanted, actual);
  });
}

// A small alphabet so that patterns and values collide often, with every character LIKE treats specially
// and some that regexes do.
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', '1', ' ', '.', '*', '(', '%', '_', '\\'), maxLength: 8 });
const scalar = fc.oneof(text, fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<FilterValue> = fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 3 }));
const keys = fc.constantFrom('a', 'b', 'c');
const filters = fc.dictionary(keys, value, { maxKeys: 3 });
const payloadValue = fc.oneof(text, fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null), fc.constant({ nested: 1 }));
const payload = fc.dictionary(keys, payloadValue, { maxKeys: 3 });

describe('filter engine vs reference model (fast-check)', () => {
  it('matchesExactlyWhatTheModelMatches', () => {
    fc.assert(
      fc.property(filters, payload, (f, p) => {
        const matcher = compileMatcher({ events: ['*'], filters: f });
        expect(matcher({ type: 'call.completed', payload: p }, NO_CAMPAIGNS)).toBe(filtersModel(f, p));
      }),
      { numRuns: 1_000 },
    );
  });

  it('likePatternsMatchLikeTheModel (values drawn from the pattern, so that matches are common)', () => {
    const patternAndValue = fc.tuple(text, text).map(([a, b]) => [`${a}%${b}`, a.replace(/[%\\]/g, '') + b.replace(/[%_\\]/g, 'x')] as const);
    fc.assert(
      fc.property(patternAndValue, text, ([pattern, near], far) => {
        const matcher = compileMatcher({ events: ['*'], filters: { a: pattern } });
        for (const v of [near, far]) expect(matcher({ type: 'x', payload: { a: v } }, NO_CAMPAIGNS)).toBe(likeModel(pattern, v));
      }),
      { numRuns: 1_000 },
    );
  });
});
