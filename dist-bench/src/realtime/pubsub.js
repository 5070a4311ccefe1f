"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createRealtime = createRealtime;
const subscription_1 = require("@graphql-yoga/subscription");
const redis_event_target_1 = require("@graphql-yoga/redis-event-target");
const ioredis_1 = __importDefault(require("ioredis"));
const node_events_1 = require("node:events");
/**
 * In-process pub/sub, or Redis pub/sub when REDIS_URL is set so that subscribers on any process hear
 * what any other process publishes.
 */
function createRealtime(redisUrl) {
    if (!redisUrl) {
        // One listener per live subscription: many subscribers on one account are normal, not a leak.
        const eventTarget = new EventTarget();
        (0, node_events_1.setMaxListeners)(0, eventTarget);
        return { pubSub: (0, subscription_1.createPubSub)({ eventTarget: eventTarget }), close: async () => undefined };
    }
    const publishClient = new ioredis_1.default(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    const subscribeClient = new ioredis_1.default(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    const eventTarget = (0, redis_event_target_1.createRedisEventTarget)({ publishClient, subscribeClient });
    return {
        pubSub: (0, subscription_1.createPubSub)({ eventTarget }),
        async close() {
            publishClient.disconnect();
            subscribeClient.disconnect();
        },
    };
}
