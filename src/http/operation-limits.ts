import type { NextFunction, Request, Response } from 'express';
import { GraphQLSchema, parse } from 'graphql';
import { limitError, MAX_TOKENS } from '../graphql/limits';
import { TextCache } from '../graphql/text-cache';
import { queryTextOf, sendGraphQLError } from './auth';

/**
 * Applies the operation limits (graphql/limits) to the query text Apollo is about to run, before
 * Apollo parses and validates it: Apollo can only run extra rules beside graphql's own, and some of
 * those are super-linear on a hostile document. Parse errors are left to Apollo to report. The
 * verdict depends only on the text (variables are priced later, inside Apollo), so a repeated
 * document is not parsed and measured again (graphql/text-cache).
 */
export function operationLimitsMiddleware(schema: GraphQLSchema) {
  const verdicts = new TextCache<string | null>((query) => {
    try {
      return limitError(schema, parse(query, { maxTokens: MAX_TOKENS }))?.message ?? null;
    } catch {
      // Not a document: Apollo answers with the parse error.
      return null;
    }
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const query = queryTextOf(req);
    if (!query) return next();
    const refused = verdicts.get(query);
    if (refused) return sendGraphQLError(res, 400, refused, { code: 'GRAPHQL_VALIDATION_FAILED' });
    next();
  };
}
