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
/** Calls `end` once when the iterator finishes, is returned or throws. */
function onEnd(iterable, end) {
    const it = iterable[Symbol.asyncIterator]();
    let ended = false;
    const finish = () => {
        if (!ended) {
            ended = true;
            end();
        }
    };
    return {
        [Symbol.asyncIterator]() {
            return this;
        },
        async next() {
            const r = await it.next();
            if (r.done)
                finish();
            return r;
        },
        async return(value) {
            finish();
            return it.return ? it.return(value) : { done: true, value: value };
        },
        async throw(err) {
            finish();
            if (it.throw)
                return it.throw(err);
            throw err;
        },
    };
}
/**
 * In-process pub/sub, or Redis pub/sub when REDIS_URL is set so that subscribers on any process hear
 * what any other process publishes.
 */
function createRealtime(redisUrl) {
    const counts = new Map();
    const counting = (base) => ({
        publish: base.publish,
        subscribe: (topic, id) => {
            const key = `${topic}:${id}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
            return onEnd(base.subscribe(topic, id), () => {
                const n = (counts.get(key) ?? 1) - 1;
                if (n > 0)
                    counts.set(key, n);
                else
                    counts.delete(key);
            });
        },
    });
    if (!redisUrl) {
        // One listener per live subscription: many subscribers on one account are normal, not a leak.
        const eventTarget = new EventTarget();
        (0, node_events_1.setMaxListeners)(0, eventTarget);
        return {
            pubSub: counting((0, subscription_1.createPubSub)({ eventTarget: eventTarget })),
            mayHaveSubscribers: (topic, accountId) => counts.has(`${topic}:${accountId}`),
            close: async () => undefined,
        };
    }
    const publishClient = new ioredis_1.default(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    const subscribeClient = new ioredis_1.default(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    const eventTarget = (0, redis_event_target_1.createRedisEventTarget)({ publishClient, subscribeClient });
    return {
        pubSub: counting((0, subscription_1.createPubSub)({ eventTarget })),
        mayHaveSubscribers: () => true,
        async close() {
            publishClient.disconnect();
            subscribeClient.disconnect();
        },
    };
}
