import type { NextFunction, Request, Response } from 'express';
import type { KeyLimits } from '../domain/key-limits';

/**
 * Counts each authenticated request against its API key's request bucket (in memory, no database);
 * over the limit, RATE_LIMITED goes to the error handler (429 + Retry-After). Mount after auth, on
 * every face (GraphQL and REST alike).
 */
export function requestLimitMiddleware(limits: KeyLimits) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.principal) limits.request(req.principal.apiKey.id);
    next();
  };
}
