import client from 'prom-client';
import type { Outbox } from '../outbox/outbox';

/** What the engine reports to Prometheus. */
export interface EngineMetrics {
  attempt(outcome: string, durationMs: number): void;
}

/**
 * Prometheus metrics (prom-client) on a registry of Hookline's own: deliveries by outcome, attempt
 * latency, and queue depth / oldest due age read from the database when scraped. Without `outbox`
 * (the delivery thread's registry, added into the API thread's) only the engine's own counters:
 * no process metrics, no queue depth, no published events.
 */
export function createMetrics(outbox?: Outbox) {
  const registry = new client.Registry();
  const processWide = outbox ? [registry] : [];
  if (outbox) client.collectDefaultMetrics({ register: registry, prefix: 'hookline_process_' });
  const attempts = new client.Counter({
    name: 'hookline_delivery_attempts_total',
    help: 'Delivery attempts by outcome (succeeded, retry, failed, gone).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'hookline_delivery_attempt_duration_seconds',
    help: 'Duration of delivery attempts (request sent to body read), seconds.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  new client.Gauge({
    name: 'hookline_deliveries_due',
    help: 'Deliveries due now and not yet claimed (queue depth).',
    registers: processWide,
    async collect() {
      if (outbox) this.set((await outbox.depth()).due);
    },
  });
  new client.Gauge({
    name: 'hookline_oldest_due_delivery_age_seconds',
    help: 'How long the oldest due delivery has waited, seconds.',
    registers: processWide,
    async collect() {
      if (outbox) this.set((await outbox.depth()).oldestDueAgeSeconds);
    },
  });
  const published = new client.Counter({
    name: 'hookline_events_published_total',
    help: 'Events committed.',
    registers: processWide,
  });
  // One child per outcome, bound once: prom-client hashes a label object on every inc otherwise.
  const byOutcome = new Map<string, client.Counter.Internal>();
  const engine: EngineMetrics = {
    attempt(outcome, durationMs) {
      let counter = byOutcome.get(outcome);
      if (!counter) byOutcome.set(outcome, (counter = attempts.labels(outcome)));
      counter.inc();
      latency.observe(durationMs / 1000);
    },
  };
  return { registry, engine, published };
}
