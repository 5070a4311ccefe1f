"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.bootstrap = bootstrap;
require("reflect-metadata");
const config_1 = require("./config");
const data_source_1 = require("./db/data-source");
const schema_1 = require("./graphql/schema");
const app_1 = require("./http/app");
const logger_1 = require("./logger");
const services_1 = require("./services");
const engine_1 = require("./delivery/engine");
const domain_events_1 = require("./domain/domain-events");
const announcer_1 = require("./realtime/announcer");
const pubsub_1 = require("./realtime/pubsub");
/** Creates the `default` account and prints its API key once, the first time Hookline starts on an empty database. */
async function ensureFirstAccount(services, log, print) {
    if ((await services.accounts.count()) > 0)
        return;
    const account = await services.accounts.create('default');
    const { token } = await services.apiKeys.create(account.id, 'default');
    log.info({ accountId: account.id }, 'created the default account');
    print(`\nCreated account "default". Its API key (shown once, store it now):\n\n  ${token}\n`);
}
/** config → database → schema → http → delivery engine; returns a handle whose stop() is graceful. */
async function bootstrap(config = (0, config_1.loadConfig)(), opts = {}) {
    const print = opts.print ?? ((s) => process.stdout.write(`${s}\n`));
    const log = (0, logger_1.createLogger)(config.LOG_LEVEL);
    // 1. Database, migrated.
    const ds = await (0, data_source_1.openDatabase)(config.database);
    // 2. Domain services; what they announce after a commit goes through the bus.
    const bus = new domain_events_1.DomainEventBus((err) => log.error({ err }, 'a domain event listener failed'));
    // Live subscriptions hear the same announcements (through Redis when REDIS_URL is set).
    const realtime = (0, pubsub_1.createRealtime)(config.REDIS_URL);
    bus.subscribe((0, announcer_1.realtimeAnnouncer)(realtime, ds, log));
    const services = (0, services_1.createServices)(ds, config, { events: bus, lookupAll: opts.lookupAll });
    await ensureFirstAccount(services, log, print);
    // 3. The delivery engine (the worker only in the all and worker roles).
    const engine = (0, engine_1.createEngine)({ ds, config, services, bus, log, lookupAll: opts.lookupAll });
    const sweeper = setInterval(() => {
        services.idempotency.sweep().catch((err) => log.warn({ err }, 'idempotency sweep failed'));
    }, 3600_000);
    sweeper.unref();
    // 4. GraphQL over HTTP.
    let url;
    let closeHttp = async () => { };
    if (config.HOOKLINE_ROLE !== 'worker') {
        const schema = await (0, schema_1.buildHooklineSchema)(realtime.pubSub);
        const { server, apollo } = await (0, app_1.createHttp)({ config, schema, services, log, tester: engine.tester, metrics: engine.metrics.registry });
        await new Promise((resolve) => server.listen(config.PORT, config.HOST, resolve));
        const { port } = server.address();
        const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
        url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
        print(`Hookline ${config.HOOKLINE_ROLE} listening: GraphQL ${url}/graphql  GraphiQL ${url}/graphiql`);
        closeHttp = async () => {
            await apollo.stop();
        };
    }
    // 5. Workers start last, once everything they report to is up.
    engine.worker?.start();
    let stopped = false;
    return {
        config,
        ds,
        services,
        engine,
        realtime,
        log,
        url,
        async stop() {
            if (stopped)
                return;
            stopped = true;
            clearInterval(sweeper);
            await closeHttp();
            await engine.stop();
            await realtime.close();
            await ds.destroy();
        },
    };
}
if (require.main === module) {
    bootstrap().then((hookline) => {
        const shutdown = (signal) => {
            hookline.log.info({ signal }, 'shutting down');
            hookline.stop().then(() => process.exit(0), (err) => {
                hookline.log.error({ err }, 'shutdown failed');
                process.exit(1);
            });
        };
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        process.once('SIGINT', () => shutdown('SIGINT'));
    }, (err) => {
        console.error(`Hookline failed to start: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    });
}
