import express, { NextFunction, Request, Response, Router } from 'express';
import { bearerToken } from '../../context';
import { DomainError, ErrorCode, Violation } from '../../domain/errors';
import type { Logger } from '../../logger';
import type { Services } from '../../services';
import { retryLaterAnswer } from '../errors';
import { idempotencyMiddleware } from '../idempotency';
import { requestLimitMiddleware } from '../rate-limit';

/**
 * How one REST face words its answers: the seed documents each have their own error bodies and field
 * names, while the rules and rows behind them are the domain's, shared with GraphQL.
 */
export interface Face {
  /** Domain field → this face's field name (fields not listed keep their domain name). */
  fields: Record<string, string>;
  /** The body for an error that is not a validation error (401, 404, 409, 422 idempotency, 400). */
  error(status: number, code: ErrorCode | 'BAD_REQUEST' | 'INTERNAL_SERVER_ERROR', message: string): unknown;
  /** The body of a validation failure: violations already carry this face's field names. */
  invalid(violations: readonly Violation[]): unknown;
}

/** Renames the domain fields of violations to a face's own names. */
export function renameFields(face: Face, violations: readonly Violation[]): Violation[] {
  return violations.map((v) => ({ ...v, field: face.fields[v.field] ?? v.field }));
}

/** A body as a plain object (a JSON array, string or nothing reads as `{}`, so the field rules then name what is missing). */
export function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

/** The caller's account id (auth ran before every handler). */
export const accountOf = (req: Request) => req.principal!.account.id;

/**
 * A router for one face: JSON bodies, Bearer auth, Idempotency-Key on writes (the same store and
 * semantics as GraphQL), the face's routes, and every error (domain or not) in the face's shape.
 */
export function faceRouter(face: Face, services: Services, log: Logger, maxBodyBytes: number, routes: (r: Router) => void): Router {
  const router = express.Router();
  const fail = (res: Response, status: number, code: Parameters<Face['error']>[1], message: string) => void res.status(status).json(face.error(status, code, message));
  router.use(express.json({ limit: maxBodyBytes }));
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) return fail(res, 401, ErrorCode.UNAUTHENTICATED, 'Missing Bearer Token');
    req.principal = await services.apiKeys.authenticate(token);
    next();
  });
  router.use(requestLimitMiddleware(services.limits));
  router.use(
    idempotencyMiddleware(services.idempotency, log, {
      applies: (req) => req.method !== 'GET',
      request: (req) => ({ method: req.method, path: req.baseUrl + req.path, body: req.body ?? null }),
      refuse: (res, status, message, extensions) => fail(res, status, extensions.code, message),
    }),
  );
  routes(router);
  router.use((req: Request, res: Response) => fail(res, 404, ErrorCode.NOT_FOUND, `No route ${req.method} ${req.baseUrl}${req.path}`));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // Outages (503) and per-key limits (429) answer with Retry-After, in this face's body shape.
    const later = retryLaterAnswer(err);
    if (later) {
      res.setHeader('Retry-After', String(later.retryAfterSeconds));
      return fail(res, later.status, later.code, later.message);
    }
    if (err instanceof DomainError) {
      if (err.code === ErrorCode.BAD_USER_INPUT) {
        const violations = err.violations ?? Object.entries(err.fieldErrors ?? {}).flatMap(([field, ms]) => ms.map((message) => ({ field, rule: 'invalid' as const, message })));
        return void res.status(422).json(face.invalid(renameFields(face, violations)));
      }
      const status = { NOT_FOUND: 404, UNAUTHENTICATED: 401, IDEMPOTENCY_KEY_REUSED: 422, IDEMPOTENCY_KEY_IN_USE: 409, RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 }[err.code];
      return fail(res, status, err.code, err.message);
    }
    const e = err as { status?: number; type?: string; message?: string };
    // express.json's own errors (malformed JSON, too large) carry a 4xx status.
    if (e.status && e.status < 500) return fail(res, e.status, 'BAD_REQUEST', e.type === 'entity.parse.failed' ? 'Malformed JSON body' : e.message ?? 'Bad request');
    log.error({ err }, 'unhandled REST error');
    fail(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });
  return router;
}
