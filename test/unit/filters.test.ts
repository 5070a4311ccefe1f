import {
  campaignIdsNeeded,
  compileLike,
  compileMatcher,
  contextFromCampaigns,
  Filters,
  isConversion,
  MatchContext,
  needsConversion,
  NO_CAMPAIGNS,
  validateFilters,
} from '../../src/domain/filters';

const campaigns: MatchContext = contextFromCampaigns([
  { id: 'camp_abc123', conversionOutcomes: ['booked_callback', 'appointment_confirmed'] },
  { id: 'camp_empty', conversionOutcomes: [] },
]);

const completed = (payload: Record<string, unknown>) => ({ type: 'call.completed', payload });

/** True when a `call.completed` subscription with these filters matches this payload. */
function matches(filters: Filters, payload: Record<string, unknown>, ctx: MatchContext = campaigns): boolean {
  return compileMatcher({ events: ['call.completed'], filters })(completed(payload), ctx);
}

describe('event-type matching', () => {
  const event = (type: string, disposition?: string) => ({ type, payload: disposition ? { disposition } : {} });

  it('matches every event of a plain subscribed type, whatever its disposition', () => {
    const m = compileMatcher({ events: ['call.completed'] });
    expect(m(event('call.completed'), NO_CAMPAIGNS)).toBe(true);
    expect(m(event('call.completed', 'voicemail'), NO_CAMPAIGNS)).toBe(true);
    expect(m(event('call.failed'), NO_CAMPAIGNS)).toBe(false);
    expect(m(event('call.completed.booked_callback'), NO_CAMPAIGNS)).toBe(false);
  });

  it('matches a sub-event only when the base type has that exact disposition', () => {
    const m = compileMatcher({ events: ['call.completed.booked_callback'] });
    expect(m(event('call.completed', 'booked_callback'), NO_CAMPAIGNS)).toBe(true);
    expect(m(event('call.completed', 'voicemail'), NO_CAMPAIGNS)).toBe(false);
    expect(m(event('call.completed', 'BOOKED_CALLBACK'), NO_CAMPAIGNS)).toBe(false);
    expect(m(event('call.completed'), NO_CAMPAIGNS)).toBe(false);
    expect(m(event('call.failed', 'booked_callback'), NO_CAMPAIGNS)).toBe(false);
    expect(m({ type: 'call.completed', payload: { disposition: 1 } }, NO_CAMPAIGNS)).toBe(false);
  });

  it('matches when any one of the subscribed names matches', () => {
    const m = compileMatcher({ events: ['call.completed.booked_callback', 'call.completed.appointment_confirmed', 'sms.received'] });
    expect(m(event('call.completed', 'booked_callback'), NO_CAMPAIGNS)).toBe(true);
    expect(m(event('call.completed', 'appointment_confirmed'), NO_CAMPAIGNS)).toBe(true);
    expect(m(event('sms.received'), NO_CAMPAIGNS)).toBe(true);
    expect(m(event('call.completed', 'voicemail'), NO_CAMPAIGNS)).toBe(false);
  });

  it('matches every type, catalog or not, through the * wildcard', () => {
    const m = compileMatcher({ events: ['*'] });
    for (const type of ['call.completed', 'webhook.test', 'custom.thing']) expect(m(event(type), NO_CAMPAIGNS)).toBe(true);
  });

  it('still applies filters to wildcard subscriptions', () => {
    const m = compileMatcher({ events: ['*'], filters: { campaign_id: 'camp_abc123' } });
    expect(m({ type: 'sms.sent', payload: { campaign_id: 'camp_abc123' } }, NO_CAMPAIGNS)).toBe(true);
    expect(m({ type: 'sms.sent', payload: {} }, NO_CAMPAIGNS)).toBe(false);
  });

  it('routes names outside the catalog as exact types', () => {
    const m = compileMatcher({ events: ['invoice.paid'] });
    expect(m(event('invoice.paid'), NO_CAMPAIGNS)).toBe(true);
    expect(m(event('invoice'), NO_CAMPAIGNS)).toBe(false);
  });

  it('matches nothing when the subscription lists no events', () => {
    expect(compileMatcher({ events: [] })(event('call.completed'), NO_CAMPAIGNS)).toBe(false);
  });
});

describe('filter semantics', () => {
  it('matches everything of the type when filters are absent, null or empty', () => {
    for (const filters of [undefined, null, {}]) {
      expect(compileMatcher({ events: ['call.completed'], filters })(completed({}), NO_CAMPAIGNS)).toBe(true);
    }
  });

  it('requires every key to match (AND)', () => {
    const f = { campaign_id: 'camp_abc123', answered_by: 'human' };
    expect(matches(f, { campaign_id: 'camp_abc123', answered_by: 'human' })).toBe(true);
    expect(matches(f, { campaign_id: 'camp_abc123', answered_by: 'machine' })).toBe(false);
    expect(matches(f, { campaign_id: 'camp_other', answered_by: 'human' })).toBe(false);
  });

  it('compares plain strings exactly, case included', () => {
    expect(matches({ answered_by: 'human' }, { answered_by: 'human' })).toBe(true);
    expect(matches({ answered_by: 'human' }, { answered_by: 'Human' })).toBe(false);
    expect(matches({ answered_by: 'human' }, { answered_by: 'human ' })).toBe(false);
  });

  it('compares numbers and booleans strictly, without string coercion', () => {
    expect(matches({ duration: 2.5 }, { duration: 2.5 })).toBe(true);
    expect(matches({ attempts: 2 }, { attempts: 2.0 })).toBe(true);
    expect(matches({ attempts: 2 }, { attempts: '2' })).toBe(false);
    expect(matches({ attempts: '2' }, { attempts: 2 })).toBe(false);
    expect(matches({ vip: true }, { vip: true })).toBe(true);
    expect(matches({ vip: true }, { vip: 'true' })).toBe(false);
    expect(matches({ vip: true }, { vip: 1 })).toBe(false);
    expect(matches({ vip: false }, { vip: 0 })).toBe(false);
  });

  it('never matches an absent key unless the filter is null', () => {
    expect(matches({ lead_id: 'lead_1' }, {})).toBe(false);
    expect(matches({ vip: false }, {})).toBe(false);
    expect(matches({ lead_id: '%' }, {})).toBe(false);
    expect(matches({ lead_id: null }, {})).toBe(true);
  });

  it('matches a null filter against null or absent only', () => {
    expect(matches({ tag: null }, { tag: null })).toBe(true);
    expect(matches({ tag: null }, { tag: '' })).toBe(false);
    expect(matches({ tag: null }, { tag: false })).toBe(false);
    expect(matches({ tag: null }, { tag: 0 })).toBe(false);
  });

  it('treats an array as any-of, mixing scalars, null and patterns', () => {
    const f = { disposition: ['voicemail', 'booked%', null] };
    expect(matches(f, { disposition: 'voicemail' })).toBe(true);
    expect(matches(f, { disposition: 'BOOKED_callback' })).toBe(true);
    expect(matches(f, { disposition: null })).toBe(true);
    expect(matches(f, {})).toBe(true);
    expect(matches(f, { disposition: 'no_answer' })).toBe(false);
    expect(matches({ attempts: [1, 2, 3] }, { attempts: 3 })).toBe(true);
    expect(matches({ attempts: [1, 2, 3] }, { attempts: '3' })).toBe(false);
  });

  it('never matches object or array payload values against scalars or patterns', () => {
    expect(matches({ metadata: '%' }, { metadata: { source: 'x' } })).toBe(false);
    expect(matches({ numbers: '+1555%' }, { numbers: ['+15550001'] })).toBe(false);
    expect(matches({ numbers: null }, { numbers: [] })).toBe(false);
  });

  it('ignores inherited properties, so prototype names are just absent keys', () => {
    expect(matches({ constructor: '%' }, {})).toBe(false);
    expect(matches({ toString: null }, {})).toBe(true);
  });
});

describe('SQL-LIKE patterns', () => {
  it('matches the seed example "+1555%" as a prefix', () => {
    expect(matches({ phone_number: '+1555%' }, { phone_number: '+15551234567' })).toBe(true);
    expect(matches({ phone_number: '+1555%' }, { phone_number: '+1555' })).toBe(true);
    expect(matches({ phone_number: '+1555%' }, { phone_number: '+14155551234' })).toBe(false);
  });

  it.each([
    ['%', '', true],
    ['%', 'anything at all', true],
    ['%%', 'x', true],
    ['a%', 'abc', true],
    ['a%', 'ba', false],
    ['%c', 'abc', true],
    ['%c', 'cab', false],
    ['%b%', 'abc', true],
    ['%b%', 'ac', false],
    ['a%c', 'ac', true],
    ['a%c', 'abbbc', true],
    ['a%c', 'abcd', false],
    ['a%b%c', 'aXbYc', true],
    ['a%b%c', 'acb', false],
    ['%ab%ab', 'abab', true],
    ['%ab%ab', 'ab', false],
    ['ab%ba', 'aba', false],
    ['ab%ba', 'abba', true],
    ['_', 'x', true],
    ['_', '', false],
    ['_', 'xy', false],
    ['a_c', 'abc', true],
    ['a_c', 'ac', false],
    ['a_c', 'abbc', false],
    ['___%', 'abc', true],
    ['___%', 'ab', false],
    ['%_', '', false],
    ['_%_', 'ab', true],
    ['x_y', 'x\ny', true],
    ['a_b', 'a😀b', true],
    ['%😀', 'hi😀', true],
  ])('pattern %j against %j is %s', (pattern, value, expected) => {
    expect(compileLike(pattern)(value)).toBe(expected);
  });

  it('is anchored at both ends', () => {
    expect(compileLike('b_')('abc')).toBe(false);
    expect(compileLike('b_')('bcd')).toBe(false);
    expect(compileLike('%b_')('abc')).toBe(true);
  });

  it('ignores case like MySQL\'s default collation', () => {
    expect(compileLike('HELLO%')('hello world')).toBe(true);
    expect(compileLike('%world')('HELLO WORLD')).toBe(true);
    expect(compileLike('_ÉTÉ%')('lété!')).toBe(true);
    expect(matches({ call_summary: '%CONFIRMED%' }, { call_summary: 'Successfully confirmed appointment' })).toBe(true);
  });

  it('reads \\% \\_ and \\\\ as literal characters', () => {
    expect(compileLike('100\\%')('100%')).toBe(true);
    expect(compileLike('100\\%')('1000')).toBe(false);
    expect(compileLike('a\\_b')('a_b')).toBe(true);
    expect(compileLike('a\\_b')('axb')).toBe(false);
    expect(compileLike('C:\\\\%')('C:\\temp')).toBe(true);
    expect(compileLike('C:\\\\%')('C:temp')).toBe(false);
    expect(compileLike('%\\%%')('50% off')).toBe(true);
    expect(compileLike('%\\%%')('50 off')).toBe(false);
  });

  it('keeps a trailing lone backslash literal and drops the backslash before any other character', () => {
    expect(compileLike('a_\\')('ab\\')).toBe(true);
    expect(compileLike('a_\\')('ab')).toBe(false);
    expect(compileLike('%\\q')('xq')).toBe(true);
  });

  it.each([
    ['a.c%', 'a.cd', 'abcd'],
    ['(x)%', '(x)!', 'x!'],
    ['[xy]_', '[xy]!', 'x!'],
    ['x+%', 'x+', 'xx'],
    ['x*_', 'x*!', 'xxx!'],
    ['^a|b$%', '^a|b$', 'a'],
    ['{1}a%', '{1}a', 'a'],
    ['a/b-c?%', 'a/b-c?', 'a/b-'],
    ['\\\\d%', '\\d', '7'],
  ])('reads regex syntax in %j as plain text', (pattern, literal, regexOnly) => {
    expect(compileLike(pattern)(literal)).toBe(true);
    expect(compileLike(pattern)(regexOnly)).toBe(false);
  });

  it('applies patterns to string payload values only', () => {
    expect(matches({ attempts: '1%' }, { attempts: 12 })).toBe(false);
    expect(matches({ vip: 't%' }, { vip: true })).toBe(false);
    expect(matches({ tag: '%' }, { tag: null })).toBe(false);
  });

  it('compares a string with _ but no % by exact equality, so ids such as camp_abc123 mean themselves', () => {
    expect(matches({ campaign_id: 'camp_abc123' }, { campaign_id: 'camp_abc123' })).toBe(true);
    expect(matches({ campaign_id: 'camp_abc123' }, { campaign_id: 'campXabc123' })).toBe(false);
    expect(matches({ campaign_id: 'camp_abc123' }, { campaign_id: 'CAMP_ABC123' })).toBe(false);
    expect(matches({ disposition: ['booked_callback', 'sale'] }, { disposition: 'booked-callback' })).toBe(false);
  });

  it('reads _ as the one-character wildcard inside a % pattern', () => {
    expect(matches({ campaign_id: 'camp_abc%' }, { campaign_id: 'campXabc123' })).toBe(true);
    expect(matches({ campaign_id: 'camp_abc%' }, { campaign_id: 'CAMP_ABC9' })).toBe(true);
    expect(matches({ campaign_id: 'camp\\_abc%' }, { campaign_id: 'campXabc123' })).toBe(false);
  });

  it('agrees with a reference LIKE implementation on random patterns', () => {
    // mulberry32: a seeded generator whose low bits are as random as its high ones.
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const pick = (alphabet: string, max: number) => Array.from({ length: rand(max + 1) }, () => alphabet[rand(alphabet.length)]).join('');
    for (let i = 0; i < 5_000; i++) {
      const pattern = pick('ab%_', 7);
      const value = pick('abAB', 8);
      expect([pattern, value, compileLike(pattern)(value)]).toEqual([pattern, value, referenceLike(pattern, value)]);
    }
  });

  it('stays linear on patterns that make backtracking regexes explode', () => {
    const like = compileLike('%a%a%a%a%a%a%a%b');
    const value = 'a'.repeat(50_000);
    const started = process.hrtime.bigint();
    expect(like(value)).toBe(false);
    expect(like(`${value}b`)).toBe(true);
    // A `^.*a.*a…b$` regex needs hours here; the piecewise search needs milliseconds.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
  });
});

describe('nested keys', () => {
  it('walks nested objects for a dotted key', () => {
    expect(matches({ 'metadata.source': 'reminder_system' }, { metadata: { source: 'reminder_system' } })).toBe(true);
    expect(matches({ 'metadata.deep.level': 3 }, { metadata: { deep: { level: 3 } } })).toBe(true);
    expect(matches({ 'metadata.source': 'reminder%' }, { metadata: { source: 'Reminder_System' } })).toBe(true);
    expect(matches({ 'metadata.source': 'other' }, { metadata: { source: 'reminder_system' } })).toBe(false);
  });

  it('prefers a top-level key that holds the dots literally', () => {
    const both = { 'metadata.source': 'flat', metadata: { source: 'nested' } };
    expect(matches({ 'metadata.source': 'flat' }, both)).toBe(true);
    expect(matches({ 'metadata.source': 'nested' }, both)).toBe(false);
  });

  it('treats a missing or non-object step as an absent key', () => {
    expect(matches({ 'metadata.missing': 'x' }, { metadata: {} })).toBe(false);
    expect(matches({ 'metadata.missing': null }, { metadata: {} })).toBe(true);
    expect(matches({ 'call_id.length': 36 }, { call_id: '564d4fd4-03bc-400a-abe0-05540fbeff88' })).toBe(false);
    expect(matches({ 'transcript.0.id': 1 }, { transcript: [{ id: 1 }] })).toBe(false);
    expect(matches({ 'metadata.source': 'x' }, { metadata: null })).toBe(false);
    expect(matches({ 'metadata.constructor': null }, { metadata: {} })).toBe(true);
    expect(matches({ 'metadata.toString.name': 'toString' }, { metadata: {} })).toBe(false);
  });
});

describe('is_conversion', () => {
  const booked = { campaign_id: 'camp_abc123', disposition: 'booked_callback' };
  const voicemail = { campaign_id: 'camp_abc123', disposition: 'voicemail' };

  it('is true when the disposition is a conversion outcome of the campaign', () => {
    expect(isConversion(booked, campaigns)).toBe(true);
    expect(matches({ is_conversion: true }, booked)).toBe(true);
    expect(matches({ is_conversion: false }, booked)).toBe(false);
  });

  it('is false when the disposition is not a conversion outcome', () => {
    expect(matches({ is_conversion: true }, voicemail)).toBe(false);
    expect(matches({ is_conversion: false }, voicemail)).toBe(true);
    expect(matches({ is_conversion: true }, { campaign_id: 'camp_empty', disposition: 'booked_callback' })).toBe(false);
  });

  it('is false when the campaign is unknown or the payload lacks a disposition or campaign', () => {
    for (const p of [{ campaign_id: 'camp_unknown', disposition: 'booked_callback' }, { campaign_id: 'camp_abc123' }, { disposition: 'booked_callback' }, {}]) {
      expect(matches({ is_conversion: true }, p)).toBe(false);
      expect(matches({ is_conversion: false }, p)).toBe(true);
    }
    expect(matches({ is_conversion: true }, booked, NO_CAMPAIGNS)).toBe(false);
  });

  it('compares outcomes exactly and ignores a payload field of the same name', () => {
    expect(matches({ is_conversion: true }, { ...booked, disposition: 'Booked_Callback' })).toBe(false);
    expect(matches({ is_conversion: true }, { ...voicemail, is_conversion: true })).toBe(false);
  });

  it('combines with the seed example filters and a sub-event', () => {
    const m = compileMatcher({ events: ['call.completed.booked_callback'], filters: { is_conversion: true, phone_number: '+1555%' } });
    expect(m(completed({ ...booked, phone_number: '+15551230000' }), campaigns)).toBe(true);
    expect(m(completed({ ...booked, phone_number: '+14155551234' }), campaigns)).toBe(false);
    expect(m(completed({ ...booked, phone_number: '+15551230000' }), NO_CAMPAIGNS)).toBe(false);
  });

  it('looks the campaign up only after every cheaper filter has passed', () => {
    const lookups: string[] = [];
    const ctx: MatchContext = { conversionOutcomes: (id) => (lookups.push(id), campaigns.conversionOutcomes(id)) };
    const m = compileMatcher({ events: ['call.completed'], filters: { is_conversion: true, answered_by: 'human' } });
    expect(m(completed({ ...booked, answered_by: 'machine' }), ctx)).toBe(false);
    expect(m({ type: 'call.failed', payload: booked }, ctx)).toBe(false);
    expect(lookups).toEqual([]);
    expect(m(completed({ ...booked, answered_by: 'human' }), ctx)).toBe(true);
    expect(lookups).toEqual(['camp_abc123']);
  });

  it('asks fan-out to load only the campaigns that is_conversion filters can read', () => {
    const withConversion = { events: ['call.completed'], filters: { is_conversion: true } };
    const plain = { events: ['call.completed'], filters: { phone_number: '+1555%' } };
    const events = [{ payload: booked }, { payload: { ...booked } }, { payload: { campaign_id: 'camp_x' } }, { payload: { campaign_id: 7, disposition: 'x' } }];
    expect(needsConversion(withConversion)).toBe(true);
    expect(needsConversion(plain)).toBe(false);
    expect(needsConversion({ events: ['*'], filters: null })).toBe(false);
    expect(campaignIdsNeeded(events, [plain])).toEqual([]);
    expect(campaignIdsNeeded(events, [plain, withConversion])).toEqual(['camp_abc123']);
  });
});

describe('validateFilters', () => {
  it('accepts the seed example and every allowed value shape', () => {
    expect(validateFilters({ is_conversion: true, phone_number: '+1555%' })).toEqual([]);
    expect(validateFilters({})).toEqual([]);
    expect(validateFilters(Object.assign(Object.create(null), { a: 1 }))).toEqual([]);
    expect(validateFilters({ a: 'x', b: 1.5, c: false, d: null, e: ['x', 2, true, null], 'metadata.source': 'y' })).toEqual([]);
  });

  it.each([
    ['null', null],
    ['an array', [{ a: 1 }]],
    ['a string', '{"a":1}'],
    ['a number', 3],
  ])('refuses %s as the filters object', (_why, input) => {
    expect(validateFilters(input)).toEqual(['filters must be an object of payload field → value']);
  });

  it('refuses objects that are not plain JSON', () => {
    expect(validateFilters(new Date())).toEqual(['filters must be a plain JSON object']);
    expect(validateFilters(new Map())).toEqual(['filters must be a plain JSON object']);
  });

  it('allows 50 keys and refuses 51 with the count', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(validateFilters(keys(50))).toEqual([]);
    expect(validateFilters(keys(51))).toEqual(['filters may hold at most 50 keys (got 51)']);
  });

  it('refuses empty keys and keys over 100 characters', () => {
    expect(validateFilters({ ['k'.repeat(100)]: 1 })).toEqual([]);
    expect(validateFilters({ '': 1 })).toEqual(['filter keys must not be empty']);
    expect(validateFilters({ ['k'.repeat(101)]: 1 })).toEqual([`filter key "${'k'.repeat(40)}…" is longer than 100 characters`]);
  });

  it('refuses strings over 500 characters, alone or in an array', () => {
    expect(validateFilters({ a: 'x'.repeat(500), b: ['x'.repeat(500)] })).toEqual([]);
    expect(validateFilters({ a: 'x'.repeat(501) })).toEqual(['filter "a": strings may hold at most 500 characters (got 501)']);
    expect(validateFilters({ a: ['ok', 'x'.repeat(501)] })).toEqual(['filter "a": strings may hold at most 500 characters (got 501)']);
  });

  it('refuses empty, oversized and nested arrays, and non-scalar members', () => {
    expect(validateFilters({ a: Array(100).fill(1) })).toEqual([]);
    expect(validateFilters({ a: [] })).toEqual(['filter "a": an any-of array must not be empty']);
    expect(validateFilters({ a: Array(101).fill(1) })).toEqual(['filter "a": an any-of array may hold at most 100 values (got 101)']);
    expect(validateFilters({ a: [[1]] })).toEqual(['filter "a": arrays must not be nested']);
    expect(validateFilters({ a: [{ b: 1 }] })).toEqual(['filter "a": values must be a string, number, boolean, null, or a non-empty array of those']);
  });

  it('refuses objects, undefined and non-finite numbers as values', () => {
    const shape = 'values must be a string, number, boolean, null, or a non-empty array of those';
    expect(validateFilters({ a: { b: 1 } })).toEqual([`filter "a": ${shape}`]);
    expect(validateFilters({ a: undefined })).toEqual([`filter "a": ${shape}`]);
    expect(validateFilters({ a: Infinity, b: [NaN] })).toEqual(['filter "a": numbers must be finite', 'filter "b": numbers must be finite']);
  });

  it('requires is_conversion to be true or false', () => {
    expect(validateFilters({ is_conversion: false })).toEqual([]);
    for (const bad of ['true', 1, null, [true]]) {
      expect(validateFilters({ is_conversion: bad })).toEqual(['filter "is_conversion": must be true or false']);
    }
  });

  it('reports every bad key at once', () => {
    expect(validateFilters({ a: [], ok: 1, b: { c: 1 }, is_conversion: 'yes' })).toHaveLength(3);
  });
});

/** Textbook dynamic-programming LIKE over code points, case-insensitive; the oracle for compileLike. */
function referenceLike(pattern: string, value: string): boolean {
  const p = [...pattern.toLowerCase()];
  const v = [...value.toLowerCase()];
  let row = Array(v.length + 1).fill(false);
  row[0] = true;
  for (const pc of p) {
    const next = Array(v.length + 1).fill(false);
    next[0] = pc === '%' && row[0];
    for (let j = 1; j <= v.length; j++) {
      if (pc === '%') next[j] = row[j] || next[j - 1];
      else next[j] = row[j - 1] && (pc === '_' || pc === v[j - 1]);
    }
    row = next;
  }
  return row[v.length];
}
