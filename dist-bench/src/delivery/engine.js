"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createEngine = createEngine;
const delivery_repository_1 = require("./delivery.repository");
const metrics_1 = require("./metrics");
const sender_1 = require("./sender");
const ssrf_1 = require("./ssrf");
const test_webhook_1 = require("./test-webhook");
const webhook_cache_1 = require("./webhook-cache");
const worker_1 = require("./worker");
/** The delivery side of a process: the sender every role needs, and the worker when the role runs one. */
function createEngine(opts) {
    const { ds, config, services, bus, log } = opts;
    const repo = new delivery_repository_1.DeliveryRepository(ds);
    const metrics = (0, metrics_1.createMetrics)(repo);
    const agent = (0, ssrf_1.createGuardedAgent)({
        allowPrivate: config.HOOKLINE_ALLOW_PRIVATE_TARGETS,
        lookupAll: opts.lookupAll,
        connections: config.HOOKLINE_PER_WEBHOOK_CONCURRENCY * 2,
    });
    const attempter = {
        send: (0, sender_1.createSender)({ dispatcher: agent }),
        webhookSecrets: (w) => {
            const s = services.webhooks.secrets(w);
            return s.previousSecret ? [s.secret, s.previousSecret] : [s.secret];
        },
        accountSecret: (accountId) => services.events.ensureAccountSecret(ds, accountId),
        retryScheduleMs: config.retryScheduleMs,
        metrics: metrics.engine,
    };
    const tester = new test_webhook_1.WebhookTester(ds, repo, services.webhooks, attempter, bus);
    const webhooks = new webhook_cache_1.WebhookCache(ds);
    const worker = config.HOOKLINE_ROLE === 'api'
        ? undefined
        : new worker_1.DeliveryWorker({ ...attempter, repo, webhooks, events: bus, log }, {
            concurrency: config.HOOKLINE_WORKER_CONCURRENCY,
            perWebhookConcurrency: config.HOOKLINE_PER_WEBHOOK_CONCURRENCY,
            claimBatch: config.HOOKLINE_CLAIM_BATCH,
            leaseMs: config.HOOKLINE_LEASE_MS,
            pollIntervalMs: config.HOOKLINE_POLL_INTERVAL_MS,
            autoDisableAfterMs: config.HOOKLINE_AUTO_DISABLE_AFTER_HOURS * 3600_000,
            autoDisableMinFailures: config.HOOKLINE_AUTO_DISABLE_MIN_FAILURES,
        });
    // After a local commit, wake the local worker at once: no poll delay on the happy path.
    bus.subscribe({
        webhookChanged: () => webhooks.clear(),
        eventsPublished: (_account, events, deliveryCount, firstDueAt) => {
            if (events.length)
                metrics.published.inc(events.length);
            if (deliveryCount) {
                if (firstDueAt)
                    worker?.wakeAt(firstDueAt);
                else
                    worker?.wake();
            }
        },
    });
    return {
        repo,
        metrics,
        tester,
        worker,
        async stop() {
            await worker?.stop(config.HOOKLINE_SHUTDOWN_GRACE_MS);
            // Requests still open after the grace period have had their leases handed back: cut them.
            await agent.destroy();
        },
    };
}
