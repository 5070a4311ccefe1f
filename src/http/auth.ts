import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError, Kind, OperationDefinitionNode, parse } from 'graphql';
import { bearerToken, Context } from '../context';
import { MAX_TOKENS } from '../graphql/limits';
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

/**
 * The query text of a GraphQL HTTP request (POST body or GET query string), read as Apollo reads it:
 * everything after `?` through URLSearchParams, with no cap on parameters. Express's `req.query` stops
 * after 1,000 parameters, so a `query` placed after them once reached Apollo unseen by this
 * middleware. A `query` given more than once (which Apollo refuses) reads as '' so that it needs a key.
 */
export function queryTextOf(req: Request): string | undefined {
  if (req.method === 'GET') {
    const at = req.url.indexOf('?');
    // Past a `#` Apollo sees nothing; reading it too can only ask for a key more often, never less.
    const all = new URLSearchParams(at < 0 ? '' : req.url.slice(at + 1)).getAll('query');
    return all.length === 1 ? all[0] : all.length ? '' : undefined;
  }
  const q = (req.body as { query?: unknown } | undefined)?.query;
  return typeof q === 'string' ? q : undefined;
}

/** True when every root selection of the operation is an introspection field (`__schema`, `__type`, `__typename`). */
function introspectsOnly(op: OperationDefinitionNode): boolean {
  return op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}

/** True when every operation of the query text only introspects. */
export function isIntrospectionOnly(query: string | undefined): boolean {
  if (!query) return false;
  try {
    const ops = parse(query, { maxTokens: MAX_TOKENS }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    return ops.length > 0 && ops.every(introspectsOnly);
  } catch {
    return false;
  }
}

/**
 * The same rule again inside Apollo, on the operation it is about to execute: without a principal
 * only introspection runs, whatever the middleware saw (a second line, so that no difference between
 * how the two read a request can let an operation run without a key).
 */
export function principalRequiredPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (!contextValue.principal && !(operation && introspectsOnly(operation))) {
            throw new GraphQLError('Missing Bearer Token', { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
          }
        },
      };
    },
  };
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
