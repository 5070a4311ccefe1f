import { ErrorCode, RetryLaterError } from './errors';

/** Per-key limits; 0 turns a limit off. */
export interface KeyLimitSettings {
  /** Requests per second per API key (token bucket refill); bursts up to twice this. */
  requestsPerSecond: number;
  /** Events published per second per API key; bursts up to twice this (and at least one 500-event batch). */
  eventsPerSecond: number;
  /** Open graphql-ws sockets per API key. */
  maxSockets: number;
}

/** Largest publishEvents batch, which the events bucket must always be able to hold. */
const MIN_EVENT_BURST = 500;
/** Buckets idle this long are full again and are dropped, so memory follows active keys only (ms). @default 60_000 */
const IDLE_BUCKET_MS = 60_000;

/**
 * A token bucket per key: `capacity` tokens, refilled at `ratePerSecond`. Written by hand rather than
 * with rate-limiter-flexible, whose memory limiter is a fixed window with a timer per key and a promise
 * per call: this costs one Map lookup and a little arithmetic on the request path.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = 0;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
  ) {}

  /** Takes `n` tokens for `key`; returns 0 when granted, else the whole seconds to wait before `n` are there. */
  take(key: string, n = 1, now = Date.now()): number {
    if (now - this.lastSweep > IDLE_BUCKET_MS) this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= n) {
      b.tokens -= n;
      return 0;
    }
    return Math.max(1, Math.ceil((n - b.tokens) / this.ratePerSecond));
  }

  private sweep(now: number) {
    this.lastSweep = now;
    for (const [k, b] of this.buckets) if (now - b.at > IDLE_BUCKET_MS) this.buckets.delete(k);
  }
}

/**
 * The per-API-key limits of one process (they are not shared between processes: N api processes
 * allow N times the rate). Every check is in memory; none touches the database.
 */
export class KeyLimits {
  private readonly requests?: TokenBuckets;
  private readonly events?: TokenBuckets;
  private readonly sockets = new Map<string, number>();

  constructor(readonly settings: KeyLimitSettings) {
    const { requestsPerSecond: rps, eventsPerSecond: eps } = settings;
    if (rps > 0) this.requests = new TokenBuckets(rps, 2 * rps);
    if (eps > 0) this.events = new TokenBuckets(eps, Math.max(2 * eps, MIN_EVENT_BURST));
  }

  /** Counts one request; throws RATE_LIMITED (with Retry-After) when the key is over its rate. */
  request(keyId: string): void {
    const wait = this.requests?.take(keyId) ?? 0;
    if (wait) throw new RetryLaterError(ErrorCode.RATE_LIMITED, `Too many requests for this API key (limit ${this.settings.requestsPerSecond}/s)`, wait);
  }

  /** Counts `count` events about to be published; throws RATE_LIMITED when the key is over its rate. */
  publish(keyId: string, count: number): void {
    const wait = this.events?.take(keyId, count) ?? 0;
    if (wait) throw new RetryLaterError(ErrorCode.RATE_LIMITED, `Too many events published for this API key (limit ${this.settings.eventsPerSecond}/s)`, wait);
  }

  /** Registers an open socket for the key; false (and nothing registered) when the key already has its maximum. */
  openSocket(keyId: string): boolean {
    const open = this.sockets.get(keyId) ?? 0;
    if (this.settings.maxSockets > 0 && open >= this.settings.maxSockets) return false;
    this.sockets.set(keyId, open + 1);
    return true;
  }

  /** Unregisters a socket opened with openSocket. */
  closeSocket(keyId: string): void {
    const open = (this.sockets.get(keyId) ?? 1) - 1;
    if (open > 0) this.sockets.set(keyId, open);
    else this.sockets.delete(keyId);
  }
}
