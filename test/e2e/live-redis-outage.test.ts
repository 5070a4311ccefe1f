import type { Client } from 'graphql-ws';
import { ensureBuilt, HooklineChild, killAllChildren, spawnHookline } from '../helpers/child';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { gqlOk } from '../helpers/graphql-client';
import { pollUntil } from '../helpers/poll';
import { PrivateRedis, startPrivateRedis } from '../helpers/redis-server';
import { collect, wsClient } from '../helpers/ws-client';

const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const SUB = `subscription { eventPublished(types: ["sms.received"]) { id } }`;

let redis: PrivateRedis;
let db: TestDatabase;
let hl: HooklineChild;
let key: string;
const clients: Client[] = [];

beforeAll(async () => {
  await ensureBuilt();
  [redis, db] = await Promise.all([startPrivateRedis(), createTestDatabase('mysql')]);
  hl = await spawnHookline({ DATABASE_URL: db.url, REDIS_URL: redis.url, LOG_LEVEL: 'warn' });
  key = hl.printedApiKey!;
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await killAllChildren();
  await redis?.destroy();
  await db?.drop();
});

const publish = async () => (await gqlOk(hl.url, key, PUBLISH, { i: { type: 'sms.received', payload: { body: 'hi' } } })).publishEvent.id as string;
const readyz = async () => {
  const res = await fetch(`${hl.url}/readyz`);
  return { status: res.status, body: await res.json() };
};
const subscribe = () => {
  const c = wsClient(hl.url, key);
  clients.push(c);
  return collect(c, SUB);
};
/** The errors a stream ended with: graphql-ws hands the `error` message's payload to the sink. */
const endedWith = (sub: ReturnType<typeof subscribe>) => pollUntil(() => sub.error as any[] | undefined, { what: 'the stream to end with an error', timeoutMs: 15_000 }) as Promise<any[]>;
const logLines = (pattern: RegExp) => hl.output().split('\n').filter((l) => pattern.test(l));

describe('live subscriptions when Redis goes away', () => {
  it('end with EVENTS_MAY_BE_MISSED at the loss and at the return, /readyz says degraded, webhooks publishing goes on, one log line per outage', async () => {
    const before = subscribe();
    await pollUntil(async () => (await publish(), before.results.length), { what: 'the stream live', intervalMs: 200 });
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', redis: 'ok' } });

    const lostAt = Date.now();
    await redis.stop();
    const [lost] = await endedWith(before);
    expect(lost).toMatchObject({ message: expect.stringMatching(/may have been missed/), extensions: { code: 'EVENTS_MAY_BE_MISSED', since: expect.any(String) } });
    expect(Date.parse(lost.extensions.since)).toBeGreaterThanOrEqual(lostAt - 1_000);
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', redis: 'degraded' } });

    // Publishing (and so webhooks) does not need Redis; a stream opened meanwhile is told at the return.
    await publish();
    const during = subscribe();
    // Several reconnect attempts fail meanwhile: each is an ioredis error event, none may be logged twice.
    await new Promise((r) => setTimeout(r, 3_000));
    await publish();
    await redis.start();
    const [back] = await endedWith(during);
    expect(back.extensions).toMatchObject({ code: 'EVENTS_MAY_BE_MISSED', since: lost.extensions.since });
    await pollUntil(readyz, { until: (r) => r.body.redis === 'ok', what: '/readyz redis ok again' });

    const after = subscribe();
    const published = new Set<string>();
    await pollUntil(async () => {
      published.add(await publish());
      return after.results.length;
    }, { what: 'a new stream live after the return', intervalMs: 300 });
    expect(after.results.every((r) => published.has(r.data.eventPublished.id))).toBe(true);
    expect(after.error).toBeUndefined();

    expect(logLines(/Redis unreachable/)).toHaveLength(1);
    expect(logLines(/Redis reachable again/)).toHaveLength(1);
    expect(hl.output()).not.toMatch(/Unhandled error event/);
    after.dispose();
  }, 60_000);
});
