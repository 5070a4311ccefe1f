import client from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { DomainEventBus } from '../domain/domain-events';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { AttempterDeps } from './attempter';
import { createMetrics } from './metrics';
import { createSender } from './sender';
import type { LookupAll } from '../net/address-policy';
import { createGuardedAgent } from './ssrf';
import { DeliveryThread } from './engine-thread';
import { WebhookTester } from './test-webhook';
import { WebhookCache } from './webhook-cache';
import { DeliveryWorker, WorkerDeps } from './worker';

/**
 * The delivery side of a process: the sender every role needs, and the worker when the role runs one,
 * on this thread or (`threaded`) on a delivery thread of its own.
 */
export function createEngine(opts: {
  ds: DataSource;
  config: Config;
  services: Services;
  bus: DomainEventBus;
  log: Logger;
  lookupAll?: LookupAll;
  /** Run the worker on a delivery thread (DeliveryThread) instead of this event loop. */
  threaded?: boolean;
  /** The worker reports its room for rows handed over at publish (on the delivery thread). */
  handoffRoom?: WorkerDeps['handoffRoom'];
  /** Process metrics and queue depth on this registry (false on the delivery thread: the API thread reports them). @default true */
  processWideMetrics?: boolean;
}) {
  const { ds, config, services, bus, log } = opts;
  const outbox = services.outbox;
  const metrics = createMetrics(opts.processWideMetrics === false ? undefined : outbox);
  const agent = createGuardedAgent({
    allowPrivate: config.HOOKLINE_ALLOW_PRIVATE_TARGETS,
    lookupAll: opts.lookupAll,
    // Per origin: a fast webhook's adaptive limit may grow to the whole worker's concurrency.
    connections: Math.max(config.HOOKLINE_WORKER_CONCURRENCY, config.HOOKLINE_PER_WEBHOOK_CONCURRENCY),
  });
  const accountSecrets = new Map<string, Promise<string>>();
  const attempter: AttempterDeps = {
    send: createSender({ dispatcher: agent }),
    webhookSecrets: (w) => {
      const s = services.webhooks.secrets(w);
      return s.previousSecret ? [s.secret, s.previousSecret] : [s.secret];
    },
    // Account secrets never change once created: read each once, not on every one-off attempt.
    accountSecret: (accountId) => {
      let secret = accountSecrets.get(accountId);
      if (!secret) {
        secret = services.events.ensureAccountSecret(ds, accountId);
        accountSecrets.set(accountId, secret);
        secret.catch(() => accountSecrets.delete(accountId));
      }
      return secret;
    },
    retryScheduleMs: config.retryScheduleMs,
    metrics: metrics.engine,
  };
  const tester = new WebhookTester(ds, outbox, services.webhooks, attempter, bus);
  const webhooks = new WebhookCache(ds);
  const thread = opts.threaded && config.HOOKLINE_ROLE === 'all' ? new DeliveryThread({ config, log, announce: bus }) : undefined;
  if (thread) outbox.attach(thread);
  const worker =
    config.HOOKLINE_ROLE === 'api' || thread
      ? undefined
      : new DeliveryWorker(
          { ...attempter, outbox, webhooks, events: bus, log, handoffRoom: opts.handoffRoom },
          {
            concurrency: config.HOOKLINE_WORKER_CONCURRENCY,
            perWebhookConcurrency: config.HOOKLINE_PER_WEBHOOK_CONCURRENCY,
            claimBatch: config.HOOKLINE_CLAIM_BATCH,
            leaseMs: config.HOOKLINE_LEASE_MS,
            pollIntervalMs: config.HOOKLINE_POLL_INTERVAL_MS,
            autoDisableAfterMs: config.HOOKLINE_AUTO_DISABLE_AFTER_HOURS * 3600_000,
            autoDisableMinFailures: config.HOOKLINE_AUTO_DISABLE_MIN_FAILURES,
          },
        );
  // The worker hears of queued rows from the outbox itself; the bus only clears caches and counts.
  bus.subscribe({
    webhookChanged: (accountId) => {
      webhooks.clear();
      thread?.webhookChanged(accountId);
    },
    eventsPublished: (_account, events) => {
      if (events.length) metrics.published.inc(events.length);
    },
  });
  // What /metrics serves: this registry, with the delivery thread's counters added in.
  const scrape: Pick<client.Registry, 'contentType' | 'metrics'> = thread
    ? {
        contentType: metrics.registry.contentType,
        metrics: async () => {
          const [own, theirs] = await Promise.all([metrics.registry.getMetricsAsJSON(), thread.metrics()]);
          return client.AggregatorRegistry.aggregate([own, theirs]).metrics();
        },
      }
    : metrics.registry;
  return {
    outbox,
    metrics,
    scrape,
    tester,
    worker,
    thread,
    async stop() {
      await worker?.stop(config.HOOKLINE_SHUTDOWN_GRACE_MS);
      await thread?.stop();
      // Requests still open after the grace period have had their leases handed back: cut them.
      await agent.destroy();
    },
  };
}
