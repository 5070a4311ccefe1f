import type { NextFunction, Request, Response } from 'express';
import { isDatabaseUnavailable } from '../db/errors';
import { databaseUnavailable, ErrorCode, RetryLaterError } from '../domain/errors';
import type { Logger } from '../logger';
import { sendGraphQLError } from './auth';

/** A database outage is logged at most once per this window, with the count of requests refused meanwhile (ms). @default 10_000 */
export const OUTAGE_LOG_WINDOW_MS = 10_000;

/**
 * Returns a reporter that logs a database outage as a warning once per window (not once per refused
 * request, which would flood the log exactly when the operator reads it).
 */
export function outageReporter(log: Logger, windowMs = OUTAGE_LOG_WINDOW_MS) {
  let lastAt = 0;
  let refused = 0;
  return (err: unknown) => {
    refused++;
    const now = Date.now();
    if (now - lastAt < windowMs) return;
    const e = err as { code?: string; message?: string };
    log.warn({ code: e?.code, reason: e?.message, refusedSinceLastReport: refused }, 'database unavailable: answering SERVICE_UNAVAILABLE');
    lastAt = now;
    refused = 0;
  };
}

/**
 * What an HTTP face answers for an error that means "retry later": a database outage (503) or a
 * per-key limit (429), with `Retry-After`. Undefined for any other error. REST routes use this to
 * keep their own body shape with the same status, header and code.
 */
export function retryLaterAnswer(err: unknown): { status: number; retryAfterSeconds: number; code: ErrorCode; message: string } | undefined {
  const e = err instanceof RetryLaterError ? err : isDatabaseUnavailable(err) ? databaseUnavailable() : undefined;
  if (!e) return undefined;
  return { status: e.code === ErrorCode.RATE_LIMITED ? 429 : 503, retryAfterSeconds: e.retryAfterSeconds, code: e.code, message: e.message };
}

/**
 * The last Express error handler: outages → 503 SERVICE_UNAVAILABLE, limits → 429 RATE_LIMITED (both
 * with Retry-After), client errors (bad JSON, body too large) → their 4xx, anything else → 500
 * INTERNAL_SERVER_ERROR, logged. Bodies are GraphQL-shaped and never carry a stack or a path.
 */
export function httpErrorHandler(log: Logger, reportOutage: (err: unknown) => void) {
  return (err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const later = retryLaterAnswer(err);
    if (later) {
      if (later.code === ErrorCode.SERVICE_UNAVAILABLE) reportOutage(err);
      res.setHeader('Retry-After', String(later.retryAfterSeconds));
      return sendGraphQLError(res, later.status, later.message, { code: later.code, retryAfterSeconds: later.retryAfterSeconds });
    }
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'unhandled http error');
    sendGraphQLError(res, status, status === 500 ? 'Internal server error' : err.message, { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' });
  };
}
