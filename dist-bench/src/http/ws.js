"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KEEP_ALIVE_MS = exports.CLOSE_FORBIDDEN = exports.KEY_RECHECK_MS = exports.CONNECTION_INIT_TIMEOUT_MS = exports.CLOSE_TOO_SLOW = exports.WS_MAX_BUFFERED_BYTES = exports.WS_MAX_PAYLOAD_BYTES = exports.MAX_SUBSCRIPTIONS_PER_SOCKET = void 0;
exports.attachGraphQLWs = attachGraphQLWs;
const graphql_1 = require("graphql");
const ws_1 = require("graphql-ws/use/ws");
const ws_2 = require("ws");
const context_1 = require("../context");
const errors_1 = require("../domain/errors");
const errors_2 = require("../graphql/errors");
const limits_1 = require("../graphql/limits");
/** Subscriptions one socket may hold at once. @default 100 */
exports.MAX_SUBSCRIPTIONS_PER_SOCKET = 100;
/** Largest message a client may send (bytes). @default 1 MiB */
exports.WS_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Bytes queued to a socket before it counts as too slow and is closed. @default 4 MiB */
exports.WS_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Close code for a subscriber that stopped reading. */
exports.CLOSE_TOO_SLOW = 4008;
/** Seconds a client has to send connection_init. @default 3 */
exports.CONNECTION_INIT_TIMEOUT_MS = 3_000;
/** How often open sockets are re-checked for revoked keys (ms). @default 5000 */
exports.KEY_RECHECK_MS = 5_000;
/** Close code for a socket whose key is missing, invalid or revoked (graphql-ws's Forbidden). */
exports.CLOSE_FORBIDDEN = 4403;
/** Ping interval (and pong deadline). @default 12 s */
exports.KEEP_ALIVE_MS = 12_000;
/**
 * Never let a slow socket slow anyone else: sends do not wait for the network (graphql-ws would
 * otherwise await every write and queue messages without bound); instead, once a socket has more than
 * WS_MAX_BUFFERED_BYTES unsent, it is closed with 4008.
 */
function boundSocketBuffer(socket, log) {
    const send = socket.send.bind(socket);
    socket.send = ((data, cb) => {
        if (socket.bufferedAmount > exports.WS_MAX_BUFFERED_BYTES) {
            log.warn({ buffered: socket.bufferedAmount }, 'closing a subscriber that stopped reading');
            socket.close(exports.CLOSE_TOO_SLOW, 'Subscriber too slow: stopped reading');
            setTimeout(() => socket.terminate(), 1_000).unref();
        }
        else {
            send(data);
        }
        cb?.();
    });
}
/** graphql-ws (graphql-transport-ws) on the HTTP server's /graphql path, with the HTTP rules applied. */
function attachGraphQLWs(opts) {
    const { schema, services, log } = opts;
    const wss = new ws_2.WebSocketServer({ server: opts.server, path: opts.path ?? '/graphql', maxPayload: exports.WS_MAX_PAYLOAD_BYTES });
    wss.on('connection', (socket) => boundSocketBuffer(socket, log));
    const rules = [...graphql_1.specifiedRules, (0, limits_1.depthLimitRule)()];
    const principals = new WeakMap();
    const format = (0, errors_2.formatError)((err) => log.error({ err }, 'unexpected error in a subscription'));
    const handle = (0, ws_1.useServer)({
        schema,
        connectionInitWaitTimeout: exports.CONNECTION_INIT_TIMEOUT_MS,
        // A missing or bad key closes the socket with 4403 Forbidden.
        onConnect: async (ctx) => {
            const token = (0, context_1.bearerToken)(typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined);
            if (!token)
                return false;
            try {
                ctx.extra.principal = await services.apiKeys.authenticate(token);
                principals.set(ctx.extra.socket, ctx.extra.principal);
                return true;
            }
            catch {
                return false;
            }
        },
        // Errors look the same as over HTTP (extensions.code, fieldErrors).
        onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON(), e)),
        onNext: (_ctx, _id, _payload, _args, result) => result.errors?.length ? { ...result, errors: result.errors.map((e) => format(e instanceof graphql_1.GraphQLError ? e.toJSON() : e, e)) } : result,
        // The same validation as HTTP: graphql-ws applies only the spec rules by itself.
        onSubscribe: async (ctx, id, payload) => {
            // graphql-ws has already registered this id, so count the others.
            if (Object.keys(ctx.subscriptions).filter((k) => k !== id).length >= exports.MAX_SUBSCRIPTIONS_PER_SOCKET) {
                return [new graphql_1.GraphQLError(`At most ${exports.MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per socket`, { extensions: { code: errors_1.ErrorCode.RATE_LIMITED } })];
            }
            // A key revoked since the socket opened starts nothing more, and the socket is closed.
            const keyId = ctx.extra.principal?.apiKey.id;
            if (!keyId || !(await services.apiKeys.activeIds([keyId])).has(keyId)) {
                ctx.extra.socket.close(exports.CLOSE_FORBIDDEN, 'Forbidden: API key revoked');
                return [new graphql_1.GraphQLError('Invalid API key', { extensions: { code: errors_1.ErrorCode.UNAUTHENTICATED } })];
            }
            let document;
            try {
                document = (0, graphql_1.parse)(payload.query);
            }
            catch (e) {
                return [e];
            }
            const errors = (0, graphql_1.validate)(schema, document, rules);
            if (errors.length)
                return errors;
            const tooComplex = (0, limits_1.complexityError)(schema, document, payload.variables ?? {}, payload.operationName);
            if (tooComplex)
                return [tooComplex];
            const contextValue = { principal: ctx.extra.principal ?? null, services };
            return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
        },
    }, wss, exports.KEEP_ALIVE_MS);
    // Streams opened with a key that has since been revoked (through any process) are cut within KEY_RECHECK_MS.
    const recheck = setInterval(async () => {
        const open = [...wss.clients].map((s) => ({ socket: s, keyId: principals.get(s)?.apiKey.id })).filter((o) => o.keyId);
        if (!open.length)
            return;
        try {
            const active = await services.apiKeys.activeIds([...new Set(open.map((o) => o.keyId))]);
            for (const o of open)
                if (!active.has(o.keyId))
                    o.socket.close(exports.CLOSE_FORBIDDEN, 'Forbidden: API key revoked');
        }
        catch (err) {
            log.warn({ err }, 'could not re-check API keys of open sockets');
        }
    }, exports.KEY_RECHECK_MS);
    recheck.unref();
    return {
        async dispose() {
            clearInterval(recheck);
            await handle.dispose();
        },
    };
}
