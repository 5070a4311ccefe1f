import {
  decideAfterAttempt,
  DEFAULT_RETRY_SCHEDULE_MS,
  MAX_RETRY_DELAY_MS,
  parseRetryAfter,
  parseRetrySchedule,
  retryDelayMs,
} from '../../src/delivery/retry-policy';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** random() = 0.5 puts the jitter exactly at zero. */
const noJitter = () => 0.5;
const lowest = () => 0;
const highest = () => 0.999_999_999;
const schedule = DEFAULT_RETRY_SCHEDULE_MS;

describe('DEFAULT_RETRY_SCHEDULE_MS', () => {
  it('is 1 min, 5 min, 15 min, 1 h and cannot be mutated', () => {
    expect(schedule).toEqual([MIN, 5 * MIN, 15 * MIN, HOUR]);
    expect(Object.isFrozen(schedule)).toBe(true);
  });
});

describe('parseRetrySchedule', () => {
  it('reads ms, s, m and h with spaces and decimals', () => {
    expect(parseRetrySchedule('1s,2s,500ms,5m,1h')).toEqual([1_000, 2_000, 500, 5 * MIN, HOUR]);
    expect(parseRetrySchedule(' 1.5s , 0ms ')).toEqual([1_500, 0]);
    expect(parseRetrySchedule('24h')).toEqual([24 * HOUR]);
  });

  it.each([
    ['', /is empty/],
    ['  ', /is empty/],
    ['1s,,2s', /entry 2 "" is not a delay/],
    ['5', /entry 1 "5" is not a delay/],
    ['1s,2d', /entry 2 "2d" is not a delay/],
    ['-1s', /not a delay/],
    ['1 s', /not a delay/],
    ['25h', /entry 1 "25h" is longer than the 24 h maximum/],
  ])('refuses %j with a message saying what is wrong', (text, message) => {
    expect(() => parseRetrySchedule(text)).toThrow(message);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 11, 22, 10, 0, 0);

  it('reads delta seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Mon, 22 Dec 2025 10:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Monday, 22-Dec-25 10:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Mon, 22 Dec 2025 09:00:00 GMT', now)).toBe(0);
  });

  it('caps both forms at 24 h', () => {
    expect(parseRetryAfter('999999999999', now)).toBe(MAX_RETRY_DELAY_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(MAX_RETRY_DELAY_MS);
  });

  it.each([undefined, '', 'soon', '-5', '1.5', 'Mon, 99 Foo 2025'])('is undefined for %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('follows the schedule for the attempts it covers', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs({ attempt, schedule, random: noJitter }))).toEqual([
      MIN,
      5 * MIN,
      15 * MIN,
      HOUR,
    ]);
  });

  it('doubles the last delay past the end of the schedule and stops at 24 h', () => {
    const after = [5, 6, 7, 8, 9, 50, 10_000].map((attempt) => retryDelayMs({ attempt, schedule, random: noJitter }));
    expect(after).toEqual([2 * HOUR, 4 * HOUR, 8 * HOUR, 16 * HOUR, 24 * HOUR, 24 * HOUR, 24 * HOUR]);
  });

  it('keeps jitter within ±10 % of the scheduled delay', () => {
    expect(retryDelayMs({ attempt: 1, schedule, random: lowest })).toBe(54_000);
    expect(retryDelayMs({ attempt: 1, schedule, random: highest })).toBe(66_000);
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs({ attempt: 2, schedule });
      expect(d).toBeGreaterThanOrEqual(4.5 * MIN);
      expect(d).toBeLessThanOrEqual(5.5 * MIN);
    }
  });

  it('never exceeds 24 h even with upward jitter on a capped delay', () => {
    expect(retryDelayMs({ attempt: 20, schedule, random: highest })).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs({ attempt: 20, schedule, random: lowest })).toBe(0.9 * MAX_RETRY_DELAY_MS);
  });

  it('lets Retry-After lengthen the wait but never shorten it', () => {
    expect(retryDelayMs({ attempt: 1, schedule, retryAfterMs: 10 * MIN, random: noJitter })).toBe(10 * MIN);
    expect(retryDelayMs({ attempt: 1, schedule, retryAfterMs: 1_000, random: noJitter })).toBe(MIN);
    expect(retryDelayMs({ attempt: 1, schedule, retryAfterMs: 0, random: lowest })).toBe(54_000);
    expect(retryDelayMs({ attempt: 1, schedule, retryAfterMs: 48 * HOUR, random: noJitter })).toBe(MAX_RETRY_DELAY_MS);
  });

  it('works with short test schedules', () => {
    const fast = parseRetrySchedule('100ms,200ms');
    expect([1, 2, 3].map((attempt) => retryDelayMs({ attempt, schedule: fast, random: noJitter }))).toEqual([100, 200, 400]);
  });

  it('refuses an empty schedule and an attempt below 1', () => {
    expect(() => retryDelayMs({ attempt: 1, schedule: [] })).toThrow('at least one');
    expect(() => retryDelayMs({ attempt: 0, schedule })).toThrow('attempt must be');
  });
});

describe('decideAfterAttempt', () => {
  const base = { attempt: 1, maxRetries: 4, schedule, random: noJitter };

  it('succeeds on every 2xx', () => {
    for (const status of [200, 201, 204, 299]) {
      expect(decideAfterAttempt({ ...base, status })).toEqual({ outcome: 'succeeded' });
    }
  });

  it('does not succeed on a 2xx whose body then timed out', () => {
    expect(decideAfterAttempt({ ...base, status: 200, errorKind: 'TIMEOUT' })).toEqual({ outcome: 'retry', delayMs: MIN });
  });

  it('retries 1xx, 3xx, 4xx and 5xx on the schedule', () => {
    for (const status of [199, 302, 400, 404, 500, 502]) {
      expect(decideAfterAttempt({ ...base, status, errorKind: 'HTTP_STATUS' })).toEqual({ outcome: 'retry', delayMs: MIN });
    }
    expect(decideAfterAttempt({ ...base, attempt: 3, status: 500 })).toEqual({ outcome: 'retry', delayMs: 15 * MIN });
  });

  it.each(['TIMEOUT', 'CONNECTION', 'DNS', 'TLS'] as const)('retries a %s error', (errorKind) => {
    expect(decideAfterAttempt({ ...base, errorKind })).toEqual({ outcome: 'retry', delayMs: MIN });
  });

  it('fails a blocked target at once, even with retries left', () => {
    expect(decideAfterAttempt({ ...base, errorKind: 'BLOCKED_TARGET' })).toEqual({ outcome: 'failed' });
  });

  it('reports 410 as gone, on the first attempt and on the last', () => {
    expect(decideAfterAttempt({ ...base, status: 410, errorKind: 'HTTP_STATUS' })).toEqual({ outcome: 'gone' });
    expect(decideAfterAttempt({ ...base, attempt: 5, status: 410 })).toEqual({ outcome: 'gone' });
  });

  it('makes exactly maxRetries retries after the first attempt', () => {
    expect(decideAfterAttempt({ ...base, attempt: 4, status: 500 })).toEqual({ outcome: 'retry', delayMs: HOUR });
    expect(decideAfterAttempt({ ...base, attempt: 5, status: 500 })).toEqual({ outcome: 'failed' });
  });

  it('fails the first failed attempt when maxRetries is 0, yet still succeeds on 2xx', () => {
    expect(decideAfterAttempt({ ...base, maxRetries: 0, status: 503 })).toEqual({ outcome: 'failed' });
    expect(decideAfterAttempt({ ...base, maxRetries: 0, status: 200 })).toEqual({ outcome: 'succeeded' });
  });

  it('honours Retry-After on 429 and 503 only', () => {
    const retryAfterMs = 30 * MIN;
    expect(decideAfterAttempt({ ...base, status: 429, retryAfterMs })).toEqual({ outcome: 'retry', delayMs: retryAfterMs });
    expect(decideAfterAttempt({ ...base, status: 503, retryAfterMs })).toEqual({ outcome: 'retry', delayMs: retryAfterMs });
    expect(decideAfterAttempt({ ...base, status: 500, retryAfterMs })).toEqual({ outcome: 'retry', delayMs: MIN });
    expect(decideAfterAttempt({ ...base, status: 301, retryAfterMs })).toEqual({ outcome: 'retry', delayMs: MIN });
  });

  it('does not let Retry-After outlive the retry budget', () => {
    expect(decideAfterAttempt({ ...base, attempt: 5, status: 429, retryAfterMs: MIN })).toEqual({ outcome: 'failed' });
  });
});
