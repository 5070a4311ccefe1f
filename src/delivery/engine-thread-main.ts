import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config';
import { openDatabase } from '../db/data-source';
import { DomainEventBus } from '../domain/domain-events';
import { createLogger } from '../logger';
import { createServices } from '../services';
import { createEngine } from './engine';
import type { FromDeliveryThread, ToDeliveryThread } from './engine-thread';
import { RetentionPruner } from './retention';

/**
 * The delivery thread (see DeliveryThread): the worker role's engine and retention on their own
 * connection pool, told of queued rows and webhook changes by the API thread, announcing delivery
 * state changes back to it.
 */
async function run(port: NonNullable<typeof parentPort>): Promise<void> {
  const config: Config = { ...(workerData as { config: Config }).config, HOOKLINE_ROLE: 'worker' };
  const log = createLogger(config.LOG_LEVEL).child({ thread: 'delivery' });
  const send = (m: FromDeliveryThread) => port.postMessage(m);
  // The API thread migrated the database before starting this one.
  const ds = await openDatabase(config.database, { migrate: false });
  const bus = new DomainEventBus((err) => log.error({ err }, 'a domain event listener failed'));
  bus.subscribe({ deliveriesUpdated: (deliveries) => send({ t: 'deliveriesUpdated', deliveries }) });
  const services = createServices(ds, config, { events: bus });
  const engine = createEngine({ ds, config, services, bus, log, processWideMetrics: false, handoffRoom: (budget) => send({ t: 'room', budget }) });
  const worker = engine.worker!;
  const pruner = new RetentionPruner(ds, { retentionDays: config.HOOKLINE_RETENTION_DAYS, log, registry: engine.metrics.registry });
  const stop = async () => {
    await pruner.stop();
    await engine.stop();
    await services.apiKeys.close();
    await ds.destroy();
    // Ends this thread only; the API thread waits for its exit.
    process.exit(0);
  };
  port.on('message', (m: ToDeliveryThread) => {
    if (m.t === 'adopt') worker.adopt(m.deliveries, new Map(m.events.map((e) => [e.id, e])));
    else if (m.t === 'queued') worker.queued(m.at, m.events && new Map(m.events.map((e) => [e.id, e])));
    else if (m.t === 'webhookChanged') bus.webhookChanged(m.accountId);
    else if (m.t === 'metrics') engine.metrics.registry.getMetricsAsJSON().then((metrics) => send({ t: 'metrics', id: m.id, metrics }), () => send({ t: 'metrics', id: m.id, metrics: [] }));
    else if (m.t === 'stop')
      stop().catch((err) => {
        log.error({ err }, 'the delivery thread did not stop cleanly');
        process.exit(1);
      });
  });
  worker.start();
  pruner.start();
  send({ t: 'ready' });
}

if (!parentPort) throw new Error('engine-thread-main runs as a worker thread (see DeliveryThread)');
run(parentPort).catch((err) => {
  // Reaches the API thread as the worker's 'error' event.
  throw err;
});
