import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { ErrorCode } from '../domain/errors';
import { IDEMPOTENCY_KEY_PATTERN, IdempotencyService } from '../domain/idempotency.service';
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

/** How a face writes an idempotency refusal in its own error shape. */
export type IdempotencyRefusal = (res: Response, status: number, code: ErrorCode, message: string) => void;

/** The request hash: JSON with sorted keys, so the same request hashes the same whatever its key order. */
export function requestHash(request: unknown): string {
  return crypto.createHash('sha256').update(stableJson(request)).digest('hex');
}

/**
 * `Idempotency-Key` on mutation requests: the first response is stored for 24 h per account and
 * replayed for the same key and body; another body is refused (IDEMPOTENCY_KEY_REUSED, 422); a
 * duplicate while the first runs is refused (IDEMPOTENCY_KEY_IN_USE, 409). Queries ignore the header.
 */
export function idempotencyMiddleware(service: IdempotencyService, log: Logger) {
  const refuse: IdempotencyRefusal = (res, status, code, message) =>
    sendGraphQLError(res, status, message, code === ErrorCode.BAD_USER_INPUT ? { code, fieldErrors: { 'Idempotency-Key': [KEY_RULE] } } : { code });
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.headers['idempotency-key'] === undefined || req.method !== 'POST' || !req.principal) return next();
    const body = req.body as { query?: string; operationName?: unknown; variables?: unknown };
    if (!isMutation(queryTextOf(req), body?.operationName)) return next();
    const hash = requestHash({ query: body.query, operationName: body.operationName ?? null, variables: body.variables ?? null });
    await runIdempotent(service, log, refuse, req, res, next, hash);
  };
}

const KEY_RULE = 'must be 8–255 characters from A-Z a-z 0-9 _ -';

/**
 * The shared half of every face's Idempotency-Key handling (GraphQL here, REST in rest/): checks the
 * key, replays or refuses, or lets the request run and stores the response it sends.
 */
export async function runIdempotent(
  service: IdempotencyService,
  log: Logger,
  refuse: IdempotencyRefusal,
  req: Request,
  res: Response,
  next: NextFunction,
  hash: string,
): Promise<void> {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return refuse(res, 400, ErrorCode.BAD_USER_INPUT, `Invalid Idempotency-Key header: ${KEY_RULE}`);
  }
  const accountId = req.principal!.account.id;
  const begun = await service.begin(accountId, key, hash);
  switch (begun.kind) {
    case 'replay':
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(begun.status).type('application/json').send(begun.body);
      return;
    case 'reused':
      return refuse(res, 422, ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was already used with a different request');
    case 'in_use':
      return refuse(res, 409, ErrorCode.IDEMPOTENCY_KEY_IN_USE, 'A request with this Idempotency-Key is still running');
    case 'proceed':
      break;
  }
  // Capture what the handler sends, store it, then let it go out.
  const send = res.send.bind(res);
  let settled = false;
  res.send = ((payload: unknown) => {
    if (!settled) {
      settled = true;
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
    }
    return send(payload);
  }) as typeof res.send;
  res.on('close', () => {
    if (!settled) {
      settled = true;
      void service.abandon(accountId, key).catch(() => undefined);
    }
  });
  next();
}
