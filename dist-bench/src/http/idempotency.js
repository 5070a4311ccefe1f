"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.idempotencyMiddleware = idempotencyMiddleware;
const node_crypto_1 = __importDefault(require("node:crypto"));
const graphql_1 = require("graphql");
const errors_1 = require("../domain/errors");
const idempotency_service_1 = require("../domain/idempotency.service");
const auth_1 = require("./auth");
/** JSON with object keys sorted, so the same request hashes the same whatever its key order. */
function stableJson(v) {
    if (Array.isArray(v))
        return `[${v.map(stableJson).join(',')}]`;
    if (v && typeof v === 'object') {
        return `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
            .join(',')}}`;
    }
    return JSON.stringify(v) ?? 'null';
}
function isMutation(query, operationName) {
    if (!query)
        return false;
    try {
        const ops = (0, graphql_1.parse)(query).definitions.filter((d) => d.kind === graphql_1.Kind.OPERATION_DEFINITION);
        const op = typeof operationName === 'string' ? ops.find((o) => o.kind === graphql_1.Kind.OPERATION_DEFINITION && o.name?.value === operationName) : ops[0];
        return op?.kind === graphql_1.Kind.OPERATION_DEFINITION && op.operation === graphql_1.OperationTypeNode.MUTATION;
    }
    catch {
        return false;
    }
}
/**
 * `Idempotency-Key` on mutation requests: the first response is stored for 24 h per account and
 * replayed for the same key and body; another body is refused (IDEMPOTENCY_KEY_REUSED, 422); a
 * duplicate while the first runs is refused (IDEMPOTENCY_KEY_IN_USE, 409). Queries ignore the header.
 */
function idempotencyMiddleware(service, log) {
    return async (req, res, next) => {
        const key = req.headers['idempotency-key'];
        if (key === undefined || req.method !== 'POST' || !req.principal)
            return next();
        const body = req.body;
        if (!isMutation((0, auth_1.queryTextOf)(req), body?.operationName))
            return next();
        if (typeof key !== 'string' || !idempotency_service_1.IDEMPOTENCY_KEY_PATTERN.test(key)) {
            return (0, auth_1.sendGraphQLError)(res, 400, 'Invalid Idempotency-Key header', {
                code: errors_1.ErrorCode.BAD_USER_INPUT,
                fieldErrors: { 'Idempotency-Key': ['must be 8–255 characters from A-Z a-z 0-9 _ -'] },
            });
        }
        const accountId = req.principal.account.id;
        const hash = node_crypto_1.default
            .createHash('sha256')
            .update(stableJson({ query: body.query, operationName: body.operationName ?? null, variables: body.variables ?? null }))
            .digest('hex');
        const begun = await service.begin(accountId, key, hash);
        switch (begun.kind) {
            case 'replay':
                res.setHeader('Idempotent-Replayed', 'true');
                res.status(begun.status).type('application/json').send(begun.body);
                return;
            case 'reused':
                return (0, auth_1.sendGraphQLError)(res, 422, 'This Idempotency-Key was already used with a different request', {
                    code: errors_1.ErrorCode.IDEMPOTENCY_KEY_REUSED,
                });
            case 'in_use':
                return (0, auth_1.sendGraphQLError)(res, 409, 'A request with this Idempotency-Key is still running', {
                    code: errors_1.ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                });
            case 'proceed':
                break;
        }
        // Capture what Apollo sends, store it, then let it go out.
        const send = res.send.bind(res);
        let settled = false;
        res.send = ((payload) => {
            if (!settled) {
                settled = true;
                const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload);
                const failed = res.statusCode >= 500 || text.includes('"INTERNAL_SERVER_ERROR"');
                const write = failed ? service.abandon(accountId, key) : service.complete(accountId, key, res.statusCode, text);
                write.then(() => send(payload), (e) => {
                    log.error({ err: e }, "idempotency record write failed");
                    send(payload);
                });
                return res;
            }
            return send(payload);
        });
        res.on('close', () => {
            if (!settled) {
                settled = true;
                void service.abandon(accountId, key).catch(() => undefined);
            }
        });
        next();
    };
}
