import type { Client } from 'graphql-ws';
import { ensureBuilt, killAllChildren, spawnHookline } from '../helpers/child';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { gqlOk } from '../helpers/graphql-client';
import { pollUntil } from '../helpers/poll';
import { killAllWorkers, spawnWorker } from '../helpers/processes';
import { startReceiver, Receiver } from '../helpers/receiver';
import { collect, wsClient } from '../helpers/ws-client';

/** The Redis every process shares; channels are keyed by account ids (fresh UUIDv7s), so parallel runs never cross. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;

type Sub = ReturnType<typeof collect<any>>;

/** Runs `mark` (which must cause a message the sub hears) until it has one: then it is live. */
async function untilLive(sub: Sub, mark: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sub.results.length === 0 && !sub.error) {
    if (Date.now() > deadline) throw new Error('the subscription never became live');
    await mark();
    await sub.next(1, 300).catch(() => undefined);
  }
  expect(sub.error).toBeUndefined();
}

const heard = (sub: Sub, pick: (data: any) => boolean, what: string) =>
  pollUntil(() => sub.results.some((r) => r.data && pick(r.data)), { what, timeoutMs: 10_000 });

const databases: TestDatabase[] = [];
const clients: Client[] = [];
const receivers: Receiver[] = [];

async function sharedEnv(extra: Record<string, string> = {}) {
  const db = await createTestDatabase('mysql');
  databases.push(db);
  return { DATABASE_URL: db.url, REDIS_URL, LOG_LEVEL: 'warn', HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', ...extra };
}

beforeAll(async () => {
  await ensureBuilt();
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await killAllChildren();
  await killAllWorkers();
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all(databases.map((d) => d.drop()));
});

describe('subscriptions across processes sharing MariaDB and Redis', () => {
  it('an event published through A reaches a subscriber of B, and B keeps serving after A is SIGKILLed', async () => {
    const env = await sharedEnv();
    // One after the other: the first start migrates the empty database and prints the only API key.
    const a = await spawnHookline(env);
    const b = await spawnHookline(env);
    const key = a.printedApiKey!;
    expect(key).toMatch(/^hk_live_/);
    const client = wsClient(b.url, key);
    clients.push(client);
    const sub = collect(client, `subscription { eventPublished(types: ["sms.received"]) { id } }`);
    const publishVia = async (url: string) => (await gqlOk(url, key, PUBLISH, { i: { type: 'sms.received', payload: { body: 'hi' } } })).publishEvent.id as string;

    await untilLive(sub, () => publishVia(a.url));
    const viaA = await publishVia(a.url);
    await heard(sub, (d) => d.eventPublished.id === viaA, 'the event published through A, on B');

    const exit = await a.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const viaB = await publishVia(b.url);
    await heard(sub, (d) => d.eventPublished.id === viaB, 'the event published through B after A died');
    expect(sub.error).toBeUndefined();
    sub.dispose();
  });

  it('with roles split, the worker delivers what the api accepted and the api\'s deliveryUpdated subscriber sees SUCCEEDED', async () => {
    const env = await sharedEnv({ HOOKLINE_POLL_INTERVAL_MS: '100' });
    const worker = await spawnWorker(env);
    const api = await spawnHookline({ ...env, HOOKLINE_ROLE: 'api' });
    const ok = (query: string, variables?: Record<string, unknown>) => gqlOk(api.url, worker.apiKey, query, variables);
    const rx = await startReceiver();
    receivers.push(rx);
    const { createWebhook } = await ok(`mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`, {
      i: { name: 'rx', url: `${rx.url}/hook`, events: ['call.failed'] },
    });
    const webhookId: string = createWebhook.webhook.id;
    const client = wsClient(api.url, worker.apiKey);
    clients.push(client);
    const sub = collect(client, `subscription($w: ID) { deliveryUpdated(webhookId: $w) { eventId status attemptCount } }`, { w: webhookId });
    // testWebhook runs in the api process itself, so it proves the subscription live, not the worker.
    await untilLive(sub, () => ok(`mutation($id: ID!) { testWebhook(id: $id) { id } }`, { id: webhookId }));

    const { publishEvent } = await ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'c1' } } });
    const eventId: string = publishEvent.id;
    await heard(sub, (d) => d.deliveryUpdated.eventId === eventId && d.deliveryUpdated.status === 'SUCCEEDED', 'SUCCEEDED on the api subscriber');
    const update = sub.results.map((r) => r.data.deliveryUpdated).find((d) => d.eventId === eventId);
    expect(update).toEqual({ eventId, status: 'SUCCEEDED', attemptCount: 1 });
    expect(rx.requests.filter((r) => r.headers['webhook-id'] === eventId)).toHaveLength(1);
    expect(worker.proc.exitCode).toBeNull();
    sub.dispose();
  });
});
