import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { Context } from '../context';
import { formatError, retryLaterStatusPlugin } from '../graphql/errors';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { Registry } from 'prom-client';
import type { WebhookTester } from '../delivery/test-webhook';
import { authMiddleware, principalRequiredPlugin } from './auth';
import { consoleRouter } from './console';
import { httpErrorHandler, outageReporter } from './errors';
import { requestLimitMiddleware } from './rate-limit';
import { graphiqlRouter } from './graphiql';
import { idempotencyMiddleware } from './idempotency';
import { operationLimitsMiddleware } from './operation-limits';
import { attachGraphQLWs } from './ws';
import { complexityPlugin, MAX_TOKENS, operationLimitsRule } from '../graphql/limits';
import { offlineLandingPagePlugin } from './landing-page';
import { restRouter } from './rest';
import type { Realtime } from '../realtime/pubsub';
import type { LiveHub } from '../realtime/live-hub';

export interface HttpParts {
  app: express.Express;
  server: http.Server;
  apollo: ApolloServer<Context>;
  /** The live multiplexer (with `realtime`). */
  liveHub?: LiveHub;
}

/** GraphQL answers are never cached by browsers or proxies (Apollo's cache-control plugin said the same). */
function noStore(_req: express.Request, res: express.Response, next: express.NextFunction) {
  res.setHeader('cache-control', 'no-store');
  next();
}

/**
 * The app's http.Server, built so that its requests and responses are born with the app's Express
 * prototypes. Express otherwise re-prototypes both objects of every request (`Object.setPrototypeOf`
 * in `app.handle`), and under load V8 then promoted some 10 KB of every request to the old
 * generation (measured: 55 MB/s at 5,400 requests/s, where bare Node and Express's router alone
 * promote nothing), so a full mark-compact ran every ~2 s and held up every request in flight by
 * 25–30 ms: that set the publish p99. Setting the prototype an object already has is a no-op.
 * (Node 20 and 22; Node 24's V8 does not promote them either way.)
 */
function expressServer(app: express.Express): http.Server {
  class Request extends http.IncomingMessage {}
  class Response extends http.ServerResponse<Request> {}
  Object.setPrototypeOf(Request.prototype, app.request);
  Object.setPrototypeOf(Response.prototype, app.response);
  app.request = Request.prototype as unknown as express.Request;
  app.response = Response.prototype as unknown as express.Response;
  return http.createServer({ IncomingMessage: Request, ServerResponse: Response }, app);
}

/** Express app on one http.Server: /graphql, /graphiql, /console, /healthz, /readyz (and /metrics when given). */
export async function createHttp(opts: {
  config: Config;
  schema: GraphQLSchema;
  services: Services;
  log: Logger;
  tester?: WebhookTester;
  /** Prometheus registry (or what reads like one) served at /metrics. */
  metrics?: Pick<Registry, 'contentType' | 'metrics'>;
  /** Live subscriptions' pub/sub (multiplexed on graphql-ws; its Redis state shows in /readyz). */
  realtime?: Realtime;
}): Promise<HttpParts> {
  const { config, schema, services, log } = opts;
  const app = express();
  app.disable('x-powered-by');
  // No ETag hashing of every JSON body: GraphQL answers are no-store, and REST answers are live data
  // nobody revalidates (the console's static files keep theirs: express.static sets its own).
  app.set('etag', false);
  const server = expressServer(app);

  const reportOutage = outageReporter(log);
  const ws = attachGraphQLWs({ server, schema, services, log, reportOutage, realtime: opts.realtime });
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: formatError((err) => log.error({ err }, 'unexpected error in a resolver'), reportOutage),
    // Apollo's default shows stack traces (server file paths) unless NODE_ENV is production or test.
    includeStacktraceInErrorResponses: config.HOOKLINE_DEBUG_ERRORS,
    // main.ts owns SIGTERM/SIGINT (graceful stop of the engine too); without NODE_ENV=test Apollo would
    // install its own handlers, which stop only Apollo and then re-raise the signal, killing the process.
    stopOnTerminationSignals: false,
    // Apollo's own messages go through the same redaction as ours.
    logger: log,
    validationRules: [operationLimitsRule()],
    parseOptions: { maxTokens: MAX_TOKENS },
    plugins: [
      // Apollo's default cache-control plugin hooks every field of every operation (and so wraps
      // every resolver) only to end at `cache-control: no-store`: nothing here declares a cache hint.
      // The header is set below, once per request.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // Close the WebSocket server with the HTTP server.
      { serverWillStart: async () => ({ drainServer: () => ws.dispose() }) },
      principalRequiredPlugin(),
      complexityPlugin(schema),
      retryLaterStatusPlugin(),
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
  app.use('/console', consoleRouter());

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
    requestLimitMiddleware(services.limits),
    operationLimitsMiddleware(schema),
    idempotencyMiddleware(services.idempotency, log),
    noStore,
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ principal: req.principal ?? null, services, tester: opts.tester }),
    }),
  );
  app.use(restRouter({ services, log, tester: opts.tester, maxBodyBytes: config.HOOKLINE_MAX_BODY_BYTES }));
  // Unknown paths answer JSON, like every other answer of this server (not Express's HTML page).
  app.use((req: express.Request, res: express.Response) => {
    res.status(404).json({ errors: [{ message: `No route ${req.method} ${req.path}`, extensions: { code: 'NOT_FOUND' } }] });
  });
  app.use(httpErrorHandler(log, reportOutage));
  return { app, server, apollo, liveHub: ws.hub };
}
