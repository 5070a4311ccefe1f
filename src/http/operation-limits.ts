import type { NextFunction, Request, Response } from 'express';
import { GraphQLSchema, parse } from 'graphql';
import { limitError, MAX_TOKENS } from '../graphql/limits';
import { queryTextOf, sendGraphQLError } from './auth';

/**
 * Applies the operation limits (graphql/limits) to the query text Apollo is about to run, before
 * Apollo parses and validates it: Apollo can only run extra rules beside graphql's own, and some of
 * those are super-linear on a hostile document. Parse errors are left to Apollo to report.
 */
export function operationLimitsMiddleware(schema: GraphQLSchema) {
  return (req: Request, res: Response, next: NextFunction) => {
    const query = queryTextOf(req);
    if (!query) return next();
    let err;
    try {
      err = limitError(schema, parse(query, { maxTokens: MAX_TOKENS }));
    } catch {
      return next();
    }
    if (err) return sendGraphQLError(res, 400, err.message, { code: 'GRAPHQL_VALIDATION_FAILED' });
    next();
  };
}
