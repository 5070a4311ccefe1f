import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { Context } from '../context';
import { formatError } from '../graphql/errors';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { Registry } from 'prom-client';
import type { WebhookTester } from '../delivery/test-webhook';
import { authMiddleware } from './auth';
import { graphiqlRouter } from './graphiql';
import { idempotencyMiddleware } from './idempotency';
import { attachGraphQLWs } from './ws';
import { complexityPlugin, depthLimitRule } from '../graphql/limits';
import { offlineLandingPagePlugin } from './landing-page';
import type { Realtime } from '../realtime/pubsub';
import type { LiveHub } from '../realtime/live-hub';

export interface HttpParts {
  app: express.Express;
  server: http.Server;
  apollo: ApolloServer<Context>;
  /** The live multiplexer (with `realtime`). */
  liveHub?: LiveHub;
}

/** Express app on one http.Server: /graphql, /graphiql, /healthz, /readyz (and /metrics when given). */
export async function createHttp(opts: {
  config: Config;
  schema: GraphQLSchema;
  services: Services;
  log: Logger;
  tester?: WebhookTester;
  /** Prometheus registry served at /metrics. */
  metrics?: Registry;
  /** Live subscriptions' pub/sub (multiplexed on graphql-ws; its Redis state shows in /readyz). */
  realtime?: Realtime;
}): Promise<HttpParts> {
  const { config, schema, services, log } = opts;
  const app = express();
  app.disable('x-powered-by');
  const server = http.createServer(app);

  const ws = attachGraphQLWs({ server, schema, services, log, realtime: opts.realtime });
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: formatError((err) => log.error({ err }, 'unexpected error in a resolver')),
    validationRules: [depthLimitRule()],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // Close the WebSocket server with the HTTP server.
      { serverWillStart: async () => ({ drainServer: () => ws.dispose() }) },
      complexityPlugin(schema),
      offlineLandingPagePlugin(),
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
      // Redis only carries live subscriptions: its outage degrades them, never readiness.
      const redis = opts.realtime?.redisState();
      res.json({ status: 'ready', ...(redis && { redis }) });
    } catch (e) {
      res.status(503).json({ status: 'unavailable', reason: 'database' });
    }
  });
  const registry = opts.metrics;
  if (registry) {
    app.get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
  }
  app.use('/graphiql', graphiqlRouter({ endpoint: '/graphql' }));

  const corsMw = cors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    allowedHeaders: ['content-type', 'authorization', 'idempotency-key', 'apollo-require-preflight', 'x-apollo-operation-name'],
    exposedHeaders: ['idempotent-replayed'],
    maxAge: 600,
  });
  app.use(
    '/graphql',
    corsMw,
    express.json({ limit: config.HOOKLINE_MAX_BODY_BYTES }),
    authMiddleware(services),
    idempotencyMiddleware(services.idempotency, log),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ principal: req.principal ?? null, services, tester: opts.tester }),
    }),
  );
  app.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'unhandled http error');
    res.status(status).json({ errors: [{ message: status === 500 ? 'Internal server error' : err.message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });
  return { app, server, apollo, liveHub: ws.hub };
}
