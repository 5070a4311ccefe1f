"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KEPT_BODY_BYTES = void 0;
exports.createSender = createSender;
const node_perf_hooks_1 = require("node:perf_hooks");
const undici_1 = require("undici");
const retry_policy_1 = require("./retry-policy");
/** Response body bytes kept on the attempt row. @default 4_096 */
exports.KEPT_BODY_BYTES = 4_096;
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
function kindOfCode(code, message) {
    if (typeof code !== 'string')
        return undefined;
    if (code === 'BLOCKED_TARGET')
        return 'BLOCKED_TARGET';
    if (DNS_CODES.has(code))
        return 'DNS';
    if (TIMEOUT_CODES.has(code))
        return 'TIMEOUT';
    if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT'))
        return 'TLS';
    if (code === 'EPROTO' && /ssl|tls/i.test(message))
        return 'TLS';
    return undefined;
}
/** Errors reachable through `cause` and AggregateError's `errors` (Happy Eyeballs reports one per address). */
function errorChain(err) {
    const out = [];
    const queue = [err];
    while (queue.length > 0 && out.length < 16) {
        const e = queue.shift();
        if (typeof e !== 'object' || e === null)
            continue;
        const rec = e;
        out.push({ code: rec.code, message: typeof rec.message === 'string' ? rec.message : String(e) });
        if (rec.cause !== undefined)
            queue.push(rec.cause);
        if (Array.isArray(rec.errors))
            queue.push(...rec.errors);
    }
    return out;
}
/** Maps a failed request to an ErrorKind and a short message; BLOCKED_TARGET wins over everything, then our own timeout. */
function classify(err, timedOut, timeoutMs) {
    const chain = errorChain(err);
    const blocked = chain.find((e) => e.code === 'BLOCKED_TARGET');
    if (blocked)
        return { errorKind: 'BLOCKED_TARGET', error: shorten(blocked.message) };
    if (timedOut)
        return { errorKind: 'TIMEOUT', error: `timed out after ${timeoutMs} ms` };
    for (const e of chain) {
        const errorKind = kindOfCode(e.code, e.message);
        if (errorKind)
            return { errorKind, error: shorten(e.message) };
    }
    const first = chain.find((e) => e.message !== '') ?? { message: 'request failed' };
    return { errorKind: 'CONNECTION', error: shorten(first.message) };
}
function shorten(message) {
    return message.length <= MAX_ERROR_CHARS ? message : message.slice(0, MAX_ERROR_CHARS - 1) + '…';
}
/** Decodes at most KEPT_BODY_BYTES, backing off to the start of a character cut in two. */
function keptText(chunks, length) {
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
    if (buf.length <= exports.KEPT_BODY_BYTES)
        return buf.toString('utf8');
    let end = exports.KEPT_BODY_BYTES;
    // 0b10xxxxxx marks a continuation byte: the character at `end` began before the cut.
    while (end > 0 && (buf[end] & 0xc0) === 0x80)
        end--;
    return buf.toString('utf8', 0, end);
}
function headerValue(value) {
    return Array.isArray(value) ? value[0] : value;
}
/**
 * Builds the function that makes one HTTP attempt. It POSTs with the given headers and never follows
 * redirects (a 3xx is an HTTP_STATUS failure; Location is never fetched). One timer covers connect,
 * headers and body, so a receiver trickling its body past the timeout is a TIMEOUT. Keeps the first
 * 4 KiB of the response, drains a modest rest for keep-alive and destroys anything larger.
 * `dispatcher` (@default undici's global dispatcher) carries keep-alive pooling and the SSRF connect guard.
 */
function createSender(opts) {
    const dispatcher = opts?.dispatcher ?? (0, undici_1.getGlobalDispatcher)();
    return async function send(req) {
        const started = node_perf_hooks_1.performance.now();
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            controller.abort();
        }, req.timeoutMs);
        let status;
        let retryAfterMs;
        const chunks = [];
        let kept = 0;
        try {
            const options = {
                dispatcher,
                method: 'POST',
                headers: req.headers,
                body: req.body,
                signal: controller.signal,
                // Disarms a redirect interceptor should the injected dispatcher carry one.
                maxRedirections: 0,
            };
            const res = await (0, undici_1.request)(req.url, options);
            status = res.statusCode;
            retryAfterMs = (0, retry_policy_1.parseRetryAfter)(headerValue(res.headers['retry-after']), Date.now());
            let read = 0;
            for await (const chunk of res.body) {
                if (kept < exports.KEPT_BODY_BYTES) {
                    chunks.push(chunk);
                    kept += chunk.length;
                }
                read += chunk.length;
                if (read > DRAIN_LIMIT_BYTES)
                    break;
            }
        }
        catch (err) {
            const { errorKind, error } = classify(err, timedOut, req.timeoutMs);
            return {
                status,
                ok: false,
                body: keptText(chunks, kept),
                durationMs: Math.round(node_perf_hooks_1.performance.now() - started),
                errorKind,
                error,
                retryAfterMs,
            };
        }
        finally {
            clearTimeout(timer);
        }
        const result = {
            status,
            ok: status >= 200 && status < 300,
            body: keptText(chunks, kept),
            durationMs: Math.round(node_perf_hooks_1.performance.now() - started),
            retryAfterMs,
        };
        if (!result.ok) {
            result.errorKind = 'HTTP_STATUS';
            result.error = status >= 300 && status < 400 ? `HTTP ${status}; redirects are not followed` : `HTTP ${status}`;
        }
        return result;
    };
}
