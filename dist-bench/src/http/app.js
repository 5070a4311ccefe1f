"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createHttp = createHttp;
const node_http_1 = __importDefault(require("node:http"));
const server_1 = require("@apollo/server");
const drainHttpServer_1 = require("@apollo/server/plugin/drainHttpServer");
const express5_1 = require("@as-integrations/express5");
const cors_1 = __importDefault(require("cors"));
const express_1 = __importDefault(require("express"));
const errors_1 = require("../graphql/errors");
const auth_1 = require("./auth");
const graphiql_1 = require("./graphiql");
const idempotency_1 = require("./idempotency");
const ws_1 = require("./ws");
const limits_1 = require("../graphql/limits");
const landing_page_1 = require("./landing-page");
/** Express app on one http.Server: /graphql, /graphiql, /healthz, /readyz (and /metrics when given). */
async function createHttp(opts) {
    const { config, schema, services, log } = opts;
    const app = (0, express_1.default)();
    app.disable('x-powered-by');
    const server = node_http_1.default.createServer(app);
    const ws = (0, ws_1.attachGraphQLWs)({ server, schema, services, log });
    const apollo = new server_1.ApolloServer({
        schema,
        formatError: (0, errors_1.formatError)((err) => log.error({ err }, 'unexpected error in a resolver')),
        validationRules: [(0, limits_1.depthLimitRule)()],
        plugins: [
            (0, drainHttpServer_1.ApolloServerPluginDrainHttpServer)({ httpServer: server }),
            // Close the WebSocket server with the HTTP server.
            { serverWillStart: async () => ({ drainServer: () => ws.dispose() }) },
            (0, limits_1.complexityPlugin)(schema),
            (0, landing_page_1.offlineLandingPagePlugin)(),
        ],
        csrfPrevention: true,
        introspection: true,
    });
    await apollo.start();
    app.get('/healthz', (_req, res) => {
        res.json({ status: 'ok' });
    });
    app.get('/readyz', async (_req, res) => {
        try {
            await services.ds.query('SELECT 1');
            res.json({ status: 'ready' });
        }
        catch (e) {
            res.status(503).json({ status: 'unavailable', reason: 'database' });
        }
    });
    const registry = opts.metrics;
    if (registry) {
        app.get('/metrics', async (_req, res) => {
            res.type(registry.contentType).send(await registry.metrics());
        });
    }
    app.use('/graphiql', (0, graphiql_1.graphiqlRouter)({ endpoint: '/graphql' }));
    const corsMw = (0, cors_1.default)({
        origin: config.corsOrigins.length ? config.corsOrigins : false,
        allowedHeaders: ['content-type', 'authorization', 'idempotency-key', 'apollo-require-preflight', 'x-apollo-operation-name'],
        exposedHeaders: ['idempotent-replayed'],
        maxAge: 600,
    });
    app.use('/graphql', corsMw, express_1.default.json({ limit: config.HOOKLINE_MAX_BODY_BYTES }), (0, auth_1.authMiddleware)(services), (0, idempotency_1.idempotencyMiddleware)(services.idempotency, log), (0, express5_1.expressMiddleware)(apollo, {
        context: async ({ req }) => ({ principal: req.principal ?? null, services, tester: opts.tester }),
    }));
    app.use((err, _req, res, _next) => {
        const status = err.status && err.status < 500 ? err.status : 500;
        if (status === 500)
            log.error({ err }, 'unhandled http error');
        res.status(status).json({ errors: [{ message: status === 500 ? 'Internal server error' : err.message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
    });
    return { app, server, apollo };
}
