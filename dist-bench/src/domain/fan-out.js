"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MatcherCache = void 0;
exports.campaignsToLoad = campaignsToLoad;
exports.matchingWebhooks = matchingWebhooks;
const filters_1 = require("./filters");
/** Compiled matchers by webhook id and version, so fan-out never recompiles an unchanged webhook. */
class MatcherCache {
    max;
    byId = new Map();
    constructor(max = 10_000) {
        this.max = max;
    }
    get(webhook) {
        const version = webhook.updatedAt.getTime();
        const hit = this.byId.get(webhook.id);
        if (hit && hit.version === version)
            return hit.match;
        if (this.byId.size >= this.max)
            this.byId.delete(this.byId.keys().next().value);
        const match = (0, filters_1.compileMatcher)({ events: webhook.events, filters: webhook.filters });
        this.byId.set(webhook.id, { version, match });
        return match;
    }
}
exports.MatcherCache = MatcherCache;
/** The campaign ids whose conversion outcomes the matchers need for these events. */
function campaignsToLoad(events, webhooks) {
    return (0, filters_1.campaignIdsNeeded)(events, webhooks.map((w) => ({ events: w.events, filters: w.filters })));
}
/** The webhooks an event goes to: the one matcher decides, evaluated once here at fan-out. */
function matchingWebhooks(event, webhooks, cache, ctx) {
    return webhooks.filter((w) => cache.get(w)(event, ctx));
}
