import type { NextFunction, Request, Response } from 'express';
import { Kind, parse } from 'graphql';
import { bearerToken } from '../context';
import type { Principal } from '../domain/api-keys.service';
import { DomainError, ErrorCode } from '../domain/errors';
import type { Services } from '../services';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal | null;
  }
}

/** Writes a GraphQL-shaped error response (for errors raised before Apollo runs). */
export function sendGraphQLError(res: Response, status: number, message: string, extensions: Record<string, unknown>) {
  res.status(status).type('application/json').send(JSON.stringify({ errors: [{ message, extensions }] }));
}

/** The query text of a GraphQL HTTP request (POST body or GET query string). */
export function queryTextOf(req: Request): string | undefined {
  const q = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
  return typeof q === 'string' ? q : undefined;
}

/** True when every root field of every operation is an introspection field (`__schema`, `__type`, `__typename`). */
export function isIntrospectionOnly(query: string | undefined): boolean {
  if (!query) return false;
  try {
    const doc = parse(query);
    const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    return (
      ops.length > 0 &&
      ops.every((op) => op.kind === Kind.OPERATION_DEFINITION && op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')))
    );
  } catch {
    return false;
  }
}

/**
 * Authenticates `Authorization: Bearer <api key>` and puts the caller on `req.principal`. A request
 * without a key is refused with 401 unless it only introspects the schema (GraphiQL loads it first).
 */
export function authMiddleware(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      // A browser opening /graphql gets the (offline) landing page; introspection needs no key.
      const query = queryTextOf(req);
      if ((req.method === 'GET' && query === undefined) || isIntrospectionOnly(query)) {
        req.principal = null;
        return next();
      }
      return sendGraphQLError(res, 401, 'Missing Bearer Token', { code: ErrorCode.UNAUTHENTICATED });
    }
    try {
      req.principal = await services.apiKeys.authenticate(token);
      next();
    } catch (e) {
      if (e instanceof DomainError && e.code === ErrorCode.UNAUTHENTICATED) {
        return sendGraphQLError(res, 401, e.message, { code: e.code });
      }
      next(e);
    }
  };
}
