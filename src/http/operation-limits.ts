import type { NextFunction, Request, Response } from 'express';
import { GraphQLSchema, parse } from 'graphql';
import { limitError, MAX_TOKENS } from '../graphql/limits';
import { queryTextOf, sendGraphQLError } from './auth';

/** Verdicts kept, by query text (clients send the same few documents again and again). @default 500 */
export const VERDICT_CACHE_SIZE = 500;
/** Longest query text whose verdict is kept (bounds the cache to about 4 MB). @default 8_192 */
export const VERDICT_CACHE_MAX_CHARS = 8_192;

/**
 * Applies the operation limits (graphql/limits) to the query text Apollo is about to run, before
 * Apollo parses and validates it: Apollo can only run extra rules beside graphql's own, and some of
 * those are super-linear on a hostile document. Parse errors are left to Apollo to report. The
 * verdict depends only on the text (variables are priced later, inside Apollo), so it is kept for
 * the most recent texts and a repeated document is not parsed and measured again.
 */
export function operationLimitsMiddleware(schema: GraphQLSchema) {
  const verdicts = new Map<string, string | null>();
  const verdict = (query: string): string | null => {
    const known = verdicts.get(query);
    if (known !== undefined) return known;
    let message: string | null = null;
    try {
      message = limitError(schema, parse(query, { maxTokens: MAX_TOKENS }))?.message ?? null;
    } catch {
      // Not a document: Apollo answers with the parse error.
    }
    if (query.length <= VERDICT_CACHE_MAX_CHARS) {
      if (verdicts.size >= VERDICT_CACHE_SIZE) verdicts.delete(verdicts.keys().next().value!);
      verdicts.set(query, message);
    }
    return message;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const query = queryTextOf(req);
    if (!query) return next();
    const refused = verdict(query);
    if (refused) return sendGraphQLError(res, 400, refused, { code: 'GRAPHQL_VALIDATION_FAILED' });
    next();
  };
}
