import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { Config, loadConfig } from './config';
import { openDatabase } from './db/data-source';
import { buildHooklineSchema } from './graphql/schema';
import { createHttp } from './http/app';
import { createLogger, Logger } from './logger';
import { createServices, Services } from './services';
import { createEngine } from './delivery/engine';
import type { LookupAll } from './net/address-policy';
import { RetentionPruner } from './delivery/retention';
import { DomainEventBus } from './domain/domain-events';
import { realtimeAnnouncer } from './realtime/announcer';
import { createRealtime, Realtime } from './realtime/pubsub';
import type { LiveHub } from './realtime/live-hub';

/** A running Hookline. */
export interface Hookline {
  config: Config;
  ds: DataSource;
  services: Services;
  engine: ReturnType<typeof createEngine>;
  realtime: Realtime;
  /** Retention pruning (worker roles only). */
  pruner?: RetentionPruner;
  /** Live subscriptions served by this process's multiplexer (api roles only). */
  liveHub?: LiveHub;
  log: Logger;
  /** http://host:port of the listening server (api roles only). */
  url?: string;
  /** Graceful stop: stop accepting, finish in-flight work within the grace period, close the database. */
  stop(): Promise<void>;
}

/** Creates the `default` account and prints its API key once, the first time Hookline starts on an empty database. */
async function ensureFirstAccount(services: Services, log: Logger, print: (s: string) => void) {
  if ((await services.accounts.count()) > 0) return;
  const account = await services.accounts.create('default');
  const { token } = await services.apiKeys.create(account.id, 'default');
  log.info({ accountId: account.id }, 'created the default account');
  print(`\nCreated account "default". Its API key (shown once, store it now):\n\n  ${token}\n`);
}

/** config → database → schema → http → delivery engine; returns a handle whose stop() is graceful. */
export async function bootstrap(
  config: Config = loadConfig(),
  opts: { print?: (s: string) => void; /** DNS override for the SSRF guard (tests) */ lookupAll?: LookupAll } = {},
): Promise<Hookline> {
  const print = opts.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const log = createLogger(config.LOG_LEVEL);

  // 1. Database, migrated.
  const ds = await openDatabase(config.database);
  // 2. Domain services; what they announce after a commit goes through the bus.
  const bus = new DomainEventBus((err) => log.error({ err }, 'a domain event listener failed'));
  // Live subscriptions hear the same announcements (through Redis when REDIS_URL is set).
  const realtime = createRealtime(config.REDIS_URL, log);
  bus.subscribe(realtimeAnnouncer(realtime, ds, log));
  const services = createServices(ds, config, { events: bus, lookupAll: opts.lookupAll });
  await ensureFirstAccount(services, log, print);
  // 3. The delivery engine (the worker only in the all and worker roles). In the all role on MySQL it
  // runs on a delivery thread; SQLite's single writer, and a DNS override (tests), keep it here.
  const threaded = config.HOOKLINE_ROLE === 'all' && config.HOOKLINE_DELIVERY_THREAD && config.database.type === 'mysql' && !opts.lookupAll;
  const engine = createEngine({ ds, config, services, bus, log, lookupAll: opts.lookupAll, threaded });
  // The delivery thread runs before the API listens: the first publish may hand it rows already.
  await engine.thread?.start().catch(async (err) => {
    await ds.destroy();
    throw err;
  });
  // Retention (old events, deliveries, attempts, expired idempotency records) is a worker's job (the delivery thread's when there is one).
  const pruner =
    config.HOOKLINE_ROLE === 'api' || threaded ? undefined : new RetentionPruner(ds, { retentionDays: config.HOOKLINE_RETENTION_DAYS, log, registry: engine.metrics.registry });

  // 4. GraphQL over HTTP.
  let url: string | undefined;
  let liveHub: LiveHub | undefined;
  let closeHttp = async () => {};
  if (config.HOOKLINE_ROLE !== 'worker') {
    const schema = await buildHooklineSchema(realtime.pubSub);
    const { server, apollo, liveHub: hub } = await createHttp({ config, schema, services, log, tester: engine.tester, metrics: engine.scrape, realtime });
    liveHub = hub;
    await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
    const { port } = server.address() as AddressInfo;
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    print(`Hookline ${config.HOOKLINE_ROLE} listening: GraphQL ${url}/graphql  GraphiQL ${url}/graphiql  Console ${url}/console`);
    closeHttp = async () => {
      await apollo.stop();
    };
  }

  // 5. Workers start last, once everything they report to is up.
  engine.worker?.start();
  pruner?.start();

  let stopped = false;
  return {
    config,
    ds,
    services,
    engine,
    realtime,
    pruner,
    liveHub,
    log,
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pruner?.stop();
      await closeHttp();
      await engine.stop();
      await realtime.close();
      await services.apiKeys.close();
      await ds.destroy();
    },
  };
}

if (require.main === module) {
  // Signals are heard from the first moment: one that comes while Hookline is still starting (its
  // delivery thread may already be sending) stops it gracefully as soon as it is up.
  let signalled: string | undefined;
  let stop = (signal: string) => {
    signalled ??= signal;
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  bootstrap().then(
    (hookline) => {
      stop = (signal: string) => {
        hookline.log.info({ signal }, 'shutting down');
        hookline.stop().then(
          () => process.exit(0),
          (err) => {
            hookline.log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      if (signalled) stop(signalled);
    },
    (err) => {
      console.error(`Hookline failed to start: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
