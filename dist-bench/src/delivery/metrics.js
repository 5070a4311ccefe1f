"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createMetrics = createMetrics;
const prom_client_1 = __importDefault(require("prom-client"));
/**
 * Prometheus metrics (prom-client) on a registry of Hookline's own: deliveries by outcome, attempt
 * latency, and queue depth / oldest due age read from the database when scraped.
 */
function createMetrics(repo) {
    const registry = new prom_client_1.default.Registry();
    prom_client_1.default.collectDefaultMetrics({ register: registry, prefix: 'hookline_process_' });
    const attempts = new prom_client_1.default.Counter({
        name: 'hookline_delivery_attempts_total',
        help: 'Delivery attempts by outcome (succeeded, retry, failed, gone).',
        labelNames: ['outcome'],
        registers: [registry],
    });
    const latency = new prom_client_1.default.Histogram({
        name: 'hookline_delivery_attempt_duration_seconds',
        help: 'Duration of delivery attempts (request sent to body read), seconds.',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
        registers: [registry],
    });
    new prom_client_1.default.Gauge({
        name: 'hookline_deliveries_due',
        help: 'Deliveries due now and not yet claimed (queue depth).',
        registers: [registry],
        async collect() {
            if (repo)
                this.set((await repo.queueDepth()).due);
        },
    });
    new prom_client_1.default.Gauge({
        name: 'hookline_oldest_due_delivery_age_seconds',
        help: 'How long the oldest due delivery has waited, seconds.',
        registers: [registry],
        async collect() {
            if (repo)
                this.set((await repo.queueDepth()).oldestDueAgeSeconds);
        },
    });
    const published = new prom_client_1.default.Counter({
        name: 'hookline_events_published_total',
        help: 'Events committed.',
        registers: [registry],
    });
    const engine = {
        attempt(outcome, durationMs) {
            attempts.inc({ outcome });
            latency.observe(durationMs / 1000);
        },
    };
    return { registry, engine, published };
}
