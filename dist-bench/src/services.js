"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createServices = createServices;
const api_keys_service_1 = require("./domain/api-keys.service");
const campaigns_service_1 = require("./domain/campaigns.service");
const deliveries_service_1 = require("./domain/deliveries.service");
const events_service_1 = require("./domain/events.service");
const idempotency_service_1 = require("./domain/idempotency.service");
const secret_box_1 = require("./domain/secret-box");
const webhooks_service_1 = require("./domain/webhooks.service");
function createServices(ds, config, deps = {}) {
    const box = new secret_box_1.SecretBox(config.HOOKLINE_MASTER_KEY);
    const guard = { allowPrivateTargets: config.HOOKLINE_ALLOW_PRIVATE_TARGETS, lookupAll: deps.lookupAll };
    const webhooks = new webhooks_service_1.WebhookService(ds, box, guard, deps.events);
    const events = new events_service_1.EventService(ds, box, guard, deps.events);
    const campaigns = new campaigns_service_1.CampaignService(ds);
    // A campaign status change is announced to subscribers as an event of its own.
    campaigns.onStatusChange = async (accountId, c, previous) => {
        await events.publish(accountId, [
            {
                type: c.status === 'ACTIVE' ? 'campaign.activated' : 'campaign.paused',
                payload: { campaign_id: c.id, name: c.name, status: c.status, previous_status: previous, conversion_outcomes: c.conversionOutcomes },
            },
        ]);
    };
    return {
        ds,
        config,
        box,
        accounts: new api_keys_service_1.AccountService(ds),
        apiKeys: new api_keys_service_1.ApiKeyService(ds),
        webhooks,
        campaigns,
        events,
        deliveries: new deliveries_service_1.DeliveryService(ds, webhooks, deps.events),
        idempotency: new idempotency_service_1.IdempotencyService(ds),
    };
}
