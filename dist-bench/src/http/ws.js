"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KEEP_ALIVE_MS = exports.CONNECTION_INIT_TIMEOUT_MS = exports.CLOSE_TOO_SLOW = exports.WS_MAX_BUFFERED_BYTES = exports.WS_MAX_PAYLOAD_BYTES = exports.MAX_SUBSCRIPTIONS_PER_SOCKET = void 0;
exports.attachGraphQLWs = attachGraphQLWs;
const graphql_1 = require("graphql");
const ws_1 = require("graphql-ws/use/ws");
const ws_2 = require("ws");
const context_1 = require("../context");
const errors_1 = require("../graphql/errors");
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
    const format = (0, errors_1.formatError)((err) => log.error({ err }, 'unexpected error in a subscription'));
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
        onSubscribe: (ctx, _id, payload) => {
            if (Object.keys(ctx.subscriptions).length >= exports.MAX_SUBSCRIPTIONS_PER_SOCKET) {
                return [new graphql_1.GraphQLError(`At most ${exports.MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per socket`)];
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
    return {
        async dispose() {
            await handle.dispose();
        },
    };
}
