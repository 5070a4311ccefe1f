"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DeliveryWorker = void 0;
const delivery_repository_1 = require("./delivery.repository");
const attempter_1 = require("./attempter");
const request_1 = require("./request");
const semaphore_1 = require("./semaphore");
/** How long a delivery whose attempt crashed (not a receiver failure: our own error) waits before it is claimed again. */
const CRASH_RETRY_DELAY_MS = 30_000;
/**
 * The delivery engine of one process: claims due deliveries in batches under a lease, sends them
 * with bounded concurrency (also per webhook, so one slow receiver cannot starve the rest), and writes
 * results back in batches with fenced updates. Woken at once after a local publish; polls otherwise.
 *
 * A delivery is "held" from its claim until its result is written. At most `concurrency` are being
 * sent; up to `claimBatch` more wait, claimed, for a send slot, so claims come in full batches and
 * the claim round trip stays off the send path.
 */
class DeliveryWorker {
    deps;
    opts;
    running = false;
    loopDone = Promise.resolve();
    inFlight = new Map();
    perWebhook = new Map();
    wakeFlag = false;
    wakeResolve;
    pending = [];
    /** Set once stop() handed the unfinished leases back: later results are dropped, not written. */
    released = false;
    flushing = Promise.resolve();
    flushTimer;
    reaperTimer;
    wakeTimers = new Map();
    flushBatch;
    sendSlots;
    perWebhookSlots = new Map();
    maxHeld;
    constructor(deps, opts) {
        this.deps = deps;
        this.opts = opts;
        this.flushBatch = opts.flushBatch ?? 200;
        this.sendSlots = new semaphore_1.Semaphore(opts.concurrency);
        this.maxHeld = opts.concurrency + opts.claimBatch;
    }
    start() {
        if (this.running)
            return;
        this.running = true;
        this.loopDone = this.loop();
        const reap = () => this.deps.repo.reapExpiredLeases().then((n) => {
            if (n) {
                this.deps.log.warn({ count: n }, 'reclaimed deliveries whose lease expired');
                this.wake();
            }
        }, (err) => this.deps.log.error({ err }, 'lease reaper failed'));
        void reap();
        this.reaperTimer = setInterval(reap, Math.max(1000, Math.min(this.opts.leaseMs / 2, 30_000)));
        this.reaperTimer.unref();
    }
    /**
     * Wakes the worker when a retry or a delayed event falls due, so short delays are not rounded up to
     * the poll interval. One timer per 50 ms slot, only for the next minute: later ones the poll finds.
     */
    wakeAt(at) {
        const ms = at.getTime() - Date.now();
        if (ms <= 0)
            return this.wake();
        if (ms > 60_000 || !this.running)
            return;
        const slot = Math.ceil(at.getTime() / 50) * 50;
        if (this.wakeTimers.has(slot))
            return;
        const t = setTimeout(() => {
            this.wakeTimers.delete(slot);
            this.wake();
        }, slot - Date.now());
        t.unref();
        this.wakeTimers.set(slot, t);
    }
    /** Due work may exist now (a local publish committed, or a slot freed). */
    wake() {
        this.wakeFlag = true;
        this.wakeResolve?.();
    }
    /**
     * Graceful stop: claim nothing more, let in-flight attempts finish within `graceMs`, write their
     * results, and hand back the leases of whatever is still running.
     */
    async stop(graceMs) {
        if (!this.running)
            return;
        this.running = false;
        clearInterval(this.reaperTimer);
        for (const t of this.wakeTimers.values())
            clearTimeout(t);
        this.wakeTimers.clear();
        this.wake();
        await this.loopDone;
        const all = Promise.all([...this.inFlight.values()].map((f) => f.done));
        let timer;
        await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
        await this.flush();
        const unfinished = [...this.inFlight.values()].map((f) => f.delivery);
        this.inFlight.clear();
        this.released = true;
        if (unfinished.length) {
            const n = await this.deps.repo.release(unfinished);
            this.deps.log.info({ released: n }, 'released leases of unfinished deliveries');
        }
    }
    async loop() {
        let backoffMs = 100;
        while (this.running) {
            const held = this.inFlight.size;
            const want = Math.min(this.opts.claimBatch, this.maxHeld - held);
            // A full batch when there is room for one; a smaller one only while send slots sit idle.
            if (want <= 0 || (want < this.opts.claimBatch && held >= this.opts.concurrency)) {
                await this.waitForWake(this.opts.pollIntervalMs);
                continue;
            }
            // Per webhook: as many claimed-and-waiting as it may have sending, and no more.
            const cap = this.opts.perWebhookConcurrency * 2;
            const saturated = [...this.perWebhook].filter(([, n]) => n >= cap).map(([id]) => id);
            this.wakeFlag = false;
            let claim;
            try {
                claim = await this.deps.repo.claim(want, this.opts.leaseMs, {
                    excludeWebhookIds: saturated,
                    room: (webhookId) => cap - (this.perWebhook.get(webhookId) ?? 0),
                });
                backoffMs = 100;
            }
            catch (err) {
                this.deps.log.error({ err }, 'claim failed; retrying');
                await this.waitForWake(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
                continue;
            }
            if (claim.claimed.length)
                this.dispatch(claim.claimed);
            // Fewer due rows than asked for: nothing more is due now. (Rows left for busy webhooks do not count.)
            if (claim.scanned < want)
                await this.waitForWake(this.opts.pollIntervalMs);
            else if (!claim.claimed.length)
                await this.waitForWake(this.opts.pollIntervalMs);
        }
    }
    waitForWake(ms) {
        if (this.wakeFlag || !this.running) {
            this.wakeFlag = false;
            return Promise.resolve();
        }
        return new Promise((resolve) => {
            const t = setTimeout(done, ms);
            function done() {
                clearTimeout(t);
                resolve();
            }
            this.wakeResolve = () => {
                this.wakeResolve = undefined;
                done();
            };
        }).then(() => {
            this.wakeFlag = false;
        });
    }
    dispatch(claimed) {
        for (const d of claimed) {
            if (d.webhookId)
                this.perWebhook.set(d.webhookId, (this.perWebhook.get(d.webhookId) ?? 0) + 1);
        }
        const ctx = this.loadContext(claimed);
        for (const d of claimed) {
            const done = ctx
                .then((c) => this.attempt(d, c))
                .catch(async (err) => {
                // Hand the lease back (fenced), due again shortly; if even that fails, the lease expires.
                this.deps.log.error({ err, deliveryId: d.id }, 'attempt failed before a result was recorded; releasing it');
                await this.deps.repo.release([d], CRASH_RETRY_DELAY_MS).catch(() => undefined);
            })
                .finally(() => {
                this.inFlight.delete(d.id);
                if (d.webhookId) {
                    const n = (this.perWebhook.get(d.webhookId) ?? 1) - 1;
                    if (n > 0)
                        this.perWebhook.set(d.webhookId, n);
                    else {
                        this.perWebhook.delete(d.webhookId);
                        this.perWebhookSlots.delete(d.webhookId);
                    }
                }
                this.wake();
            });
            this.inFlight.set(d.id, { delivery: d, done });
        }
    }
    /** The send slots of one webhook (kept while it holds deliveries). */
    webhookSlots(webhookId) {
        let s = this.perWebhookSlots.get(webhookId);
        if (!s) {
            s = new semaphore_1.Semaphore(this.opts.perWebhookConcurrency);
            this.perWebhookSlots.set(webhookId, s);
        }
        return s;
    }
    async loadContext(claimed) {
        const eventIds = [...new Set(claimed.map((d) => d.eventId))];
        const webhookIds = [...new Set(claimed.map((d) => d.webhookId).filter((id) => !!id))];
        const [events, webhooks] = await Promise.all([this.deps.repo.loadEvents(eventIds), this.deps.webhooks.getMany(webhookIds)]);
        return { events, webhooks, bodies: new Map() };
    }
    async attempt(d, ctx) {
        const event = ctx.events.get(d.eventId);
        if (!event)
            throw new Error(`event ${d.eventId} of delivery ${d.id} is missing`);
        let body = ctx.bodies.get(event.id);
        if (body === undefined) {
            body = (0, request_1.envelope)(event);
            ctx.bodies.set(event.id, body);
        }
        const webhook = d.webhookId ? ctx.webhooks.get(d.webhookId) : undefined;
        // The webhook's own slot first, so a delivery waiting on a busy webhook holds no global slot.
        const perWebhook = d.webhookId ? this.webhookSlots(d.webhookId) : undefined;
        await perWebhook?.acquire();
        await this.sendSlots.acquire();
        if (!this.running) {
            // Stopping: a delivery still waiting for a slot is not started; its lease goes back now.
            this.sendSlots.release();
            perWebhook?.release();
            await this.deps.repo.release([d]);
            return;
        }
        let record;
        try {
            record = await (0, attempter_1.attemptDelivery)(this.deps, d, event, webhook, { body });
        }
        finally {
            this.sendSlots.release();
            perWebhook?.release();
        }
        await this.enqueue(record);
    }
    /**
     * Buffers a result for the next batched write and resolves once it is written, so a delivery counts
     * against the concurrency until its result is durable (unwritten results never pile up beyond it).
     */
    enqueue(r) {
        if (this.released)
            return Promise.resolve(); // its lease was handed back at stop: another worker redoes it
        const written = new Promise((resolve) => this.pending.push({ record: r, resolve }));
        if (this.pending.length >= this.flushBatch)
            void this.flush();
        else if (!this.flushTimer)
            this.flushTimer = setTimeout(() => void this.flush(), 5);
        return written;
    }
    /** Writes buffered results; flushes run one at a time, in order. */
    flush() {
        clearTimeout(this.flushTimer);
        this.flushTimer = undefined;
        const batch = this.pending.splice(0, this.pending.length);
        if (!batch.length)
            return this.flushing;
        this.flushing = this.flushing.then(async () => {
            await this.write(batch.map((p) => p.record));
            for (const p of batch)
                p.resolve();
        });
        return this.flushing;
    }
    async write(batch) {
        for (let attempt = 1;; attempt++) {
            try {
                const fenced = await this.deps.repo.record(batch, { autoDisableAfterMs: this.opts.autoDisableAfterMs, autoDisableMinFailures: this.opts.autoDisableMinFailures });
                if (fenced < batch.length)
                    this.deps.log.warn({ lost: batch.length - fenced }, 'results for leases another worker had reclaimed were not applied');
                const now = new Date();
                this.deps.events?.deliveriesUpdated(batch.map((r) => (0, delivery_repository_1.snapshotOf)(r, now)));
                for (const r of batch)
                    if (r.status === 'PENDING' && r.nextAttemptAt)
                        this.wakeAt(r.nextAttemptAt);
                if (batch.some((r) => r.gone))
                    this.deps.webhooks.clear();
                return;
            }
            catch (err) {
                // The database hiccuped: keep the results and try again; if we never get through, the
                // leases expire and the deliveries are attempted again (at least once).
                this.deps.log.error({ err, attempt }, 'writing delivery results failed; retrying');
                if (attempt >= 8)
                    return;
                await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5_000)));
            }
        }
    }
}
exports.DeliveryWorker = DeliveryWorker;
