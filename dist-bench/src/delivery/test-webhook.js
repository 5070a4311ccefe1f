"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WebhookTester = void 0;
const entities_1 = require("../db/entities");
const errors_1 = require("../domain/errors");
const event_types_1 = require("../domain/event-types");
const ids_1 = require("../domain/ids");
const attempter_1 = require("./attempter");
const delivery_repository_1 = require("./delivery.repository");
/**
 * testWebhook: sends one event (`webhook.test`, or the catalog example of a type) to one webhook right
 * now and returns the attempt. It is logged like any delivery (trigger TEST) and never retried.
 */
class WebhookTester {
    ds;
    repo;
    webhooks;
    deps;
    announce;
    constructor(ds, repo, webhooks, deps, announce) {
        this.ds = ds;
        this.repo = repo;
        this.webhooks = webhooks;
        this.deps = deps;
        this.announce = announce;
    }
    async test(accountId, webhookId, eventType) {
        const webhook = await this.webhooks.get(accountId, webhookId);
        const type = (0, event_types_1.findEventType)(eventType ?? 'webhook.test');
        if (!type)
            throw (0, errors_1.badInput)({ eventType: [`unknown event type "${eventType}" (see the eventTypes query)`] });
        const now = new Date();
        const event = { id: (0, ids_1.newId)(), accountId, type: type.name, payload: { ...type.examplePayload }, occurredAt: now, idempotencyKey: null, createdAt: now };
        const leaseToken = (0, ids_1.newId)();
        const delivery = {
            id: (0, ids_1.newId)(), accountId, eventId: event.id, webhookId, targetUrl: null, status: 'IN_FLIGHT', attemptCount: 0, attemptBase: 0,
            nextTrigger: 'TEST', nextAttemptAt: null, lockedUntil: new Date(now.getTime() + (webhook.timeoutSeconds + 60) * 1000), leaseToken,
            lastResponseStatus: null, lastError: null, succeededAt: null, createdAt: now, updatedAt: now,
        };
        await this.ds.transaction(async (m) => {
            await m.getRepository(entities_1.EventEntity).insert(event);
            await m.getRepository(entities_1.DeliveryEntity).insert(delivery);
        });
        const claimed = { ...delivery, leaseToken, webhookId, nextTrigger: 'TEST' };
        const record = await (0, attempter_1.attemptDelivery)(this.deps, claimed, event, webhook, { noRetry: true, force: true });
        await this.repo.record([record], { autoDisableAfterMs: 0, autoDisableMinFailures: 0 });
        this.announce?.deliveriesUpdated([(0, delivery_repository_1.snapshotOf)(record, new Date())]);
        const [attempt] = await this.ds.getRepository(entities_1.DeliveryAttemptEntity).find({ where: { deliveryId: delivery.id }, order: { number: 'DESC' }, take: 1 });
        return attempt;
    }
}
exports.WebhookTester = WebhookTester;
