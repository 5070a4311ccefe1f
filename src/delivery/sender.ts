import { performance } from 'node:perf_hooks';
import { getGlobalDispatcher, type Dispatcher } from 'undici';
import { parseRetryAfter, type ErrorKind } from './retry-policy';

/** One webhook POST. `headers` are sent as given (lower-case names); the caller sets content-type and signatures. */
export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Budget for connect, response headers and response body together, in ms. */
  timeoutMs: number;
}

/** What one attempt produced, ready for the attempt row. */
export interface SendResult {
  /** HTTP status, when response headers arrived (even if the body then timed out). */
  status?: number;
  /** True only for a 2xx whose body arrived within the timeout. */
  ok: boolean;
  /** Start of the response body, at most 4 KiB, cut on a UTF-8 boundary. */
  body: string;
  durationMs: number;
  errorKind?: ErrorKind;
  /** Short message for the attempt log; never holds headers or the request body. */
  error?: string;
  /** Retry-After of the response, in ms (see parseRetryAfter). */
  retryAfterMs?: number;
}

/** Response body bytes kept on the attempt row. @default 4_096 */
export const KEPT_BODY_BYTES = 4_096;
/**
 * Response bytes read in all before giving up on the connection. Draining a modest rest keeps the
 * keep-alive socket reusable; a receiver sending megabytes costs us a reconnect instead.
 * @default 65_536
 */
const DRAIN_LIMIT_BYTES = 65_536;
/** Longest error message kept. @default 300 */
const MAX_ERROR_CHARS = 300;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ENODATA']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Error kind of one error in the chain, or undefined if its code says nothing specific. */
function kindOfCode(code: unknown, message: string): ErrorKind | undefined {
  if (typeof code !== 'string') return undefined;
  if (code === 'BLOCKED_TARGET') return 'BLOCKED_TARGET';
  if (DNS_CODES.has(code)) return 'DNS';
  if (TIMEOUT_CODES.has(code)) return 'TIMEOUT';
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT')) return 'TLS';
  if (code === 'EPROTO' && /ssl|tls/i.test(message)) return 'TLS';
  return undefined;
}

/** Errors reachable through `cause` and AggregateError's `errors` (Happy Eyeballs reports one per address). */
function errorChain(err: unknown): Array<{ code?: unknown; message: string }> {
  const out: Array<{ code?: unknown; message: string }> = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 16) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null) continue;
    const rec = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    out.push({ code: rec.code, message: typeof rec.message === 'string' ? rec.message : String(e) });
    if (rec.cause !== undefined) queue.push(rec.cause);
    if (Array.isArray(rec.errors)) queue.push(...rec.errors);
  }
  return out;
}

/** Maps a failed request to an ErrorKind and a short message; BLOCKED_TARGET wins over everything, then our own timeout. */
function classify(err: unknown, timedOut: boolean, timeoutMs: number): { errorKind: ErrorKind; error: string } {
  const chain = errorChain(err);
  const blocked = chain.find((e) => e.code === 'BLOCKED_TARGET');
  if (blocked) return { errorKind: 'BLOCKED_TARGET', error: shorten(blocked.message) };
  if (timedOut) return { errorKind: 'TIMEOUT', error: `timed out after ${timeoutMs} ms` };
  for (const e of chain) {
    const errorKind = kindOfCode(e.code, e.message);
    if (errorKind) return { errorKind, error: shorten(e.message) };
  }
  const first = chain.find((e) => e.message !== '') ?? { message: 'request failed' };
  return { errorKind: 'CONNECTION', error: shorten(first.message) };
}

function shorten(message: string): string {
  return message.length <= MAX_ERROR_CHARS ? message : message.slice(0, MAX_ERROR_CHARS - 1) + '…';
}

/** Decodes at most KEPT_BODY_BYTES, backing off to the start of a character cut in two. */
function keptText(chunks: Buffer[], length: number): string {
  const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
  if (buf.length <= KEPT_BODY_BYTES) return buf.toString('utf8');
  let end = KEPT_BODY_BYTES;
  // 0b10xxxxxx marks a continuation byte: the character at `end` began before the cut.
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.toString('utf8', 0, end);
}

/** Where a URL is sent: undici's origin and path, parsed once per distinct URL. */
interface Target {
  origin: string;
  path: string;
}

/** Parsed targets kept (webhook URLs repeat; one-off targets may not). @default 1_000 */
const TARGET_CACHE_SIZE = 1_000;

function targetCache(): (url: string) => Target {
  const cache = new Map<string, Target>();
  return (url) => {
    let t = cache.get(url);
    if (!t) {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw Object.assign(new Error(`unsupported protocol ${u.protocol}`), { code: 'ERR_INVALID_URL' });
      t = { origin: u.origin, path: `${u.pathname}${u.search}` };
      if (cache.size >= TARGET_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(url, t);
    }
    return t;
  };
}

const RETRY_AFTER = 'retry-after';

/** The first Retry-After value among undici's raw response headers (name, value, name, value…). */
function rawRetryAfter(raw: readonly Buffer[] | null): string | undefined {
  if (!raw) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === RETRY_AFTER.length && name.toString('latin1').toLowerCase() === RETRY_AFTER) return raw[i + 1].toString('latin1');
  }
  return undefined;
}

/**
 * One POST as an undici dispatch handler (its callback interface): no response stream, no promise
 * per chunk, no header object; the engine's hot path. Settles once with what `finish` builds.
 */
class Attempt implements Dispatcher.DispatchHandler {
  private abortFn?: (err: Error) => void;
  private abortReason?: Error;
  private settled = false;
  status?: number;
  retryAfter?: string;
  readonly chunks: Buffer[] = [];
  kept = 0;
  private read = 0;

  constructor(private readonly finish: (err?: unknown) => void) {}

  /** Ends the request now (timeout): before it is connected, once it is. */
  abort(err: Error): void {
    this.abortReason = err;
    this.abortFn?.(err);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.abortReason) abort(this.abortReason);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | null): boolean {
    // 1xx informational answers (100, 103) precede the real one.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.retryAfter = rawRetryAfter(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.kept < KEPT_BODY_BYTES) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
    }
    this.read += chunk.length;
    if (this.read > DRAIN_LIMIT_BYTES) {
      // Enough: the answer counts as it is; the connection is dropped rather than drained.
      this.settle();
      this.abortFn?.(new Error('response body too large to drain'));
      return false;
    }
    return true;
  }

  onComplete(): void {
    this.settle();
  }

  onError(err: Error): void {
    this.settle(err);
  }

  private settle(err?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.finish(err);
  }
}

/**
 * Builds the function that makes one HTTP attempt. It POSTs with the given headers and never follows
 * redirects (a 3xx is an HTTP_STATUS failure; Location is never fetched). One timer covers connect,
 * headers and body, so a receiver trickling its body past the timeout is a TIMEOUT. Keeps the first
 * 4 KiB of the response, drains a modest rest for keep-alive and destroys anything larger.
 * `dispatcher` (@default undici's global dispatcher) carries keep-alive pooling and the SSRF connect guard;
 * requests go to its `dispatch` directly (no redirect handling is asked for, so none happens).
 */
export function createSender(opts?: { dispatcher?: Dispatcher }): (req: SendRequest) => Promise<SendResult> {
  const dispatcher = opts?.dispatcher ?? getGlobalDispatcher();
  const targetOf = targetCache();

  return function send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    return new Promise<SendResult>((resolve) => {
      let timedOut = false;
      const attempt: Attempt = new Attempt((err) => {
        clearTimeout(timer);
        const durationMs = Math.round(performance.now() - started);
        const status = attempt.status;
        const retryAfterMs = parseRetryAfter(attempt.retryAfter, Date.now());
        const body = keptText(attempt.chunks, attempt.kept);
        if (err !== undefined || status === undefined) {
          const { errorKind, error } = classify(err ?? new Error('no response'), timedOut, req.timeoutMs);
          resolve({ status, ok: false, body, durationMs, errorKind, error, retryAfterMs });
          return;
        }
        const result: SendResult = { status, ok: status >= 200 && status < 300, body, durationMs, retryAfterMs };
        if (!result.ok) {
          result.errorKind = 'HTTP_STATUS';
          result.error = status >= 300 && status < 400 ? `HTTP ${status}; redirects are not followed` : `HTTP ${status}`;
        }
        resolve(result);
      });
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort(Object.assign(new Error(`timed out after ${req.timeoutMs} ms`), { code: 'UND_ERR_ABORTED' }));
      }, req.timeoutMs);
      try {
        const { origin, path } = targetOf(req.url);
        dispatcher.dispatch({ origin, path, method: 'POST', headers: req.headers, body: req.body }, attempt);
      } catch (err) {
        attempt.onError(err as Error);
      }
    });
  };
}
