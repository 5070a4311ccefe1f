import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { ErrorCode, FieldErrors } from '../domain/errors';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_LOCK_MS, IdempotencyService } from '../domain/idempotency.service';
import { queryTextOf, sendGraphQLError } from './auth';
import type { Logger } from '../logger';

/** JSON with object keys sorted, so the same request hashes the same whatever its key order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function isMutation(query: string | undefined, operationName: unknown): boolean {
  if (!query) return false;
  try {
    const ops = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const op = typeof operationName === 'string' ? ops.find((o) => o.kind === Kind.OPERATION_DEFINITION && o.name?.value === operationName) : ops[0];
    return op?.kind === Kind.OPERATION_DEFINITION && op.operation === OperationTypeNode.MUTATION;
  } catch {
    return false;
  }
}

/** Where a face differs: which requests the key applies to, what identifies a request, how a refusal is written. */
export interface IdempotencyFace {
  applies(req: Request): boolean;
  /** The parts of the request that make it "the same request" (hashed with sorted keys). */
  request(req: Request): unknown;
  refuse(res: Response, status: number, message: string, extensions: { code: ErrorCode; fieldErrors?: FieldErrors }): void;
}

/** GraphQL: mutation operations, identified by query, operation name and variables. */
const GRAPHQL_FACE: IdempotencyFace = {
  applies: (req) => req.method === 'POST' && isMutation(queryTextOf(req), (req.body as { operationName?: unknown } | undefined)?.operationName),
  request: (req) => {
    const body = req.body as { query?: string; operationName?: unknown; variables?: unknown };
    return { query: body.query, operationName: body.operationName ?? null, variables: body.variables ?? null };
  },
  refuse: sendGraphQLError,
};

/**
 * `Idempotency-Key` on mutation requests: the first response is stored for 24 h per account and
 * replayed for the same key and body; another body is refused (IDEMPOTENCY_KEY_REUSED, 422); a
 * duplicate while the first runs is refused (IDEMPOTENCY_KEY_IN_USE, 409), also after the first
 * client went away. Queries ignore the header. The REST faces pass their own `face` (writes,
 * identified by method, path and body).
 */
export function idempotencyMiddleware(service: IdempotencyService, log: Logger, face: IdempotencyFace = GRAPHQL_FACE) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.headers['idempotency-key'];
    if (key === undefined || !req.principal) return next();
    if (!face.applies(req)) return next();
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      return face.refuse(res, 400, 'Invalid Idempotency-Key header', {
        code: ErrorCode.BAD_USER_INPUT,
        fieldErrors: { 'Idempotency-Key': ['must be 8–255 characters from A-Z a-z 0-9 _ -'] },
      });
    }
    const accountId = req.principal.account.id;
    const hash = crypto
      .createHash('sha256')
      .update(stableJson(face.request(req)))
      .digest('hex');
    const begun = await service.begin(accountId, key, hash);
    switch (begun.kind) {
      case 'replay':
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(begun.status).type('application/json').send(begun.body);
        return;
      case 'reused':
        return face.refuse(res, 422, 'This Idempotency-Key was already used with a different request', {
          code: ErrorCode.IDEMPOTENCY_KEY_REUSED,
        });
      case 'in_use':
        return face.refuse(res, 409, 'A request with this Idempotency-Key is still running', {
          code: ErrorCode.IDEMPOTENCY_KEY_IN_USE,
        });
      case 'proceed':
        break;
    }
    // The key stays RUNNING, its lock renewed, until the mutation has really ended: a client that
    // disconnects and retries meets IN_USE, then the replay, never a second run.
    const renewal = setInterval(() => {
      service.renew(accountId, key).catch((err) => log.warn({ err }, 'could not renew an idempotency lock'));
    }, IDEMPOTENCY_LOCK_MS / 3);
    renewal.unref();
    // Capture what Apollo sends (also to a client that has gone), store it, then let it go out.
    const send = res.send.bind(res);
    let settled = false;
    res.send = ((payload: unknown) => {
      if (settled) return send(payload);
      settled = true;
      clearInterval(renewal);
      const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload);
      const failed = res.statusCode >= 500 || text.includes('"INTERNAL_SERVER_ERROR"');
      const write = failed ? service.abandon(accountId, key) : service.complete(accountId, key, res.statusCode, text);
      write.then(
        () => send(payload),
        (e) => {
          log.error({ err: e }, 'idempotency record write failed');
          send(payload);
        },
      );
      return res;
    }) as typeof res.send;
    next();
  };
}
