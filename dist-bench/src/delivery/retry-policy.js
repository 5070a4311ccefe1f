"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_RETRY_SCHEDULE_MS = exports.RETRY_JITTER = exports.MAX_RETRY_DELAY_MS = void 0;
exports.parseRetrySchedule = parseRetrySchedule;
exports.parseRetryAfter = parseRetryAfter;
exports.retryDelayMs = retryDelayMs;
exports.decideAfterAttempt = decideAfterAttempt;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Longest wait between two attempts, whatever the schedule or the receiver asks, in ms. @default 86_400_000 (24 h) */
exports.MAX_RETRY_DELAY_MS = 24 * HOUR;
/** Jitter spread around each scheduled delay, as a fraction (±10 %), so failed bursts do not retry in lockstep. @default 0.1 */
exports.RETRY_JITTER = 0.1;
/** 1 min, 5 min, 15 min, 1 h (ms). After the list runs out: doubling the last, capped at 24 h. */
exports.DEFAULT_RETRY_SCHEDULE_MS = Object.freeze([MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR]);
const UNIT_MS = { ms: 1, s: SECOND, m: MINUTE, h: HOUR };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
/** Parses HOOKLINE_RETRY_SCHEDULE like '1s,2s,500ms,5m,1h' into ms; throws a clear Error on bad input. */
function parseRetrySchedule(text) {
    const tokens = text.split(',').map((t) => t.trim());
    if (tokens.length === 0 || (tokens.length === 1 && tokens[0] === '')) {
        throw new Error('HOOKLINE_RETRY_SCHEDULE is empty: give comma-separated delays such as "1s,2s,500ms,5m,1h"');
    }
    return tokens.map((token, i) => {
        const match = DURATION.exec(token);
        if (!match) {
            throw new Error(`HOOKLINE_RETRY_SCHEDULE entry ${i + 1} "${token}" is not a delay: use a number with ms, s, m or h, e.g. "500ms" or "5m"`);
        }
        const ms = Math.round(Number(match[1]) * UNIT_MS[match[2]]);
        if (ms > exports.MAX_RETRY_DELAY_MS) {
            throw new Error(`HOOKLINE_RETRY_SCHEDULE entry ${i + 1} "${token}" is longer than the 24 h maximum`);
        }
        return ms;
    });
}
const DELTA_SECONDS = /^\d+$/;
/** HTTP-dates in all three RFC 9110 forms begin with a day name; this keeps Date.parse from reading "-5" as a year. */
const HTTP_DATE_START = /^[A-Za-z]{3}/;
/** Parses Retry-After (delta seconds or HTTP-date) to ms from `nowMs`; undefined when absent/invalid; a past date is 0; capped at 24 h. */
function parseRetryAfter(value, nowMs) {
    if (value === undefined)
        return undefined;
    const text = value.trim();
    if (DELTA_SECONDS.test(text))
        return Math.min(Number(text) * SECOND, exports.MAX_RETRY_DELAY_MS);
    if (!HTTP_DATE_START.test(text))
        return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at))
        return undefined;
    return Math.min(Math.max(at - nowMs, 0), exports.MAX_RETRY_DELAY_MS);
}
/** Past the end of the schedule the delay doubles; beyond this many doublings it has long hit the cap. */
const MAX_DOUBLINGS = 40;
/**
 * Delay before the retry that follows attempt number `attempt` (1 = the first attempt failed), in ms.
 * The scheduled delay gets ±10 % jitter from `random` (0 ≤ r < 1, @default Math.random). `retryAfterMs`
 * can only lengthen the wait: the result is the larger of the jittered schedule and Retry-After, so a
 * receiver answering `Retry-After: 0` cannot burn through the retries in a tight loop, and one asking
 * for more time gets it. Never more than 24 h.
 */
function retryDelayMs(input) {
    const { attempt, schedule, retryAfterMs, random = Math.random } = input;
    if (schedule.length === 0)
        throw new Error('retry schedule must hold at least one delay');
    if (!Number.isInteger(attempt) || attempt < 1)
        throw new Error(`attempt must be an integer ≥ 1, got ${attempt}`);
    const last = schedule[schedule.length - 1];
    const base = attempt <= schedule.length
        ? schedule[attempt - 1]
        : last * 2 ** Math.min(attempt - schedule.length, MAX_DOUBLINGS);
    const jittered = Math.min(base, exports.MAX_RETRY_DELAY_MS) * (1 + exports.RETRY_JITTER * (2 * random() - 1));
    const delay = Math.max(Math.round(jittered), retryAfterMs ?? 0);
    return Math.min(delay, exports.MAX_RETRY_DELAY_MS);
}
/** Statuses whose Retry-After asks us to come back later (RFC 9110 §10.2.3, RFC 6585 §4). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
/**
 * What happens after an attempt: 'succeeded' (2xx) | 'retry' (with delayMs) | 'failed' (attempts
 * exhausted: attempt > maxRetries, i.e. maxRetries retries after the first attempt; or BLOCKED_TARGET,
 * which no retry can fix) | 'gone' (410: the delivery fails and the webhook must be disabled).
 * Retry-After counts only on 429 and 503.
 */
function decideAfterAttempt(input) {
    const { attempt, maxRetries, status, errorKind, schedule, random } = input;
    if (errorKind === undefined && status !== undefined && status >= 200 && status < 300) {
        return { outcome: 'succeeded' };
    }
    if (status === 410)
        return { outcome: 'gone' };
    if (errorKind === 'BLOCKED_TARGET')
        return { outcome: 'failed' };
    if (attempt > maxRetries)
        return { outcome: 'failed' };
    const retryAfterMs = status !== undefined && RETRY_AFTER_STATUSES.has(status) ? input.retryAfterMs : undefined;
    return { outcome: 'retry', delayMs: retryDelayMs({ attempt, schedule, retryAfterMs, random }) };
}
