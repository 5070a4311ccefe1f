import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ensureBuilt, killAllChildren, spawnHookline, type HooklineChild } from '../helpers/child';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { gqlOk, postGraphQL } from '../helpers/graphql-client';
import { pollUntil } from '../helpers/poll';

/** The promise: a key revoked through one process is refused by every other within this (ms). */
const REVOCATION_WINDOW_MS = 5_000;
const ME = '{ me { apiKey { id } } }';
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id deliveries { id } } }`;

let db: TestDatabase;
let a: HooklineChild;
let b: HooklineChild;
let rootKey: string;
const clients: Client[] = [];

beforeAll(async () => {
  await ensureBuilt();
  db = await createTestDatabase('mysql');
  const env = { DATABASE_URL: db.url, LOG_LEVEL: 'warn', HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', HOOKLINE_ROLE: 'api' };
  // One after the other: the first start migrates the empty database and prints the only API key.
  a = await spawnHookline(env);
  b = await spawnHookline(env);
  rootKey = a.printedApiKey!;
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await killAllChildren();
  await db?.drop();
});

describe('the API path across two processes sharing MariaDB', () => {
  it('a key revoked through A is refused by B within 5 s, over HTTP and on an open graphql-ws socket', async () => {
    const { createApiKey } = await gqlOk(a.url, rootKey, 'mutation { createApiKey(name: "doomed") { token apiKey { id } } }');
    const token: string = createApiKey.token;
    // B verifies the key and keeps it: from here on B answers from its cache.
    expect((await gqlOk(b.url, token, ME)).me.apiKey.id).toBe(createApiKey.apiKey.id);
    let closedWith: number | undefined;
    let connected = false;
    const client = createClient({
      url: `${b.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      on: {
        connected: () => (connected = true),
        closed: (e) => (closedWith = (e as { code?: number }).code),
      },
    });
    clients.push(client);
    client.subscribe({ query: 'subscription { eventPublished(types: ["sms.received"]) { id } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await pollUntil(() => connected, { what: 'the socket on B connected' });

    await gqlOk(a.url, rootKey, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: createApiKey.apiKey.id });
    const revokedAt = Date.now();
    const refused = await pollUntil(async () => (await postGraphQL(b.url, ME, undefined, { token })).status, {
      until: (s) => s === 401,
      timeoutMs: REVOCATION_WINDOW_MS,
      intervalMs: 100,
      what: 'B refusing the revoked key over HTTP',
    });
    expect(refused).toBe(401);
    await pollUntil(() => closedWith, { until: (c) => c !== undefined, timeoutMs: Math.max(0, REVOCATION_WINDOW_MS - (Date.now() - revokedAt)) + 100, what: 'B closing the socket' });
    expect(closedWith).toBe(4403);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(REVOCATION_WINDOW_MS + 100);
    // A key B never saw is refused at once.
    expect((await postGraphQL(a.url, ME, undefined, { token })).status).toBe(401);
  });

  it('a publish through B right after updateWebhook returns through A uses the new filters', async () => {
    const { createWebhook } = await gqlOk(a.url, rootKey, `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`, {
      i: { name: 'filtered', url: 'http://127.0.0.1:9/never-called', events: ['sms.received'], filters: { to: '+1555' } },
    });
    const publish = async (to: string) => (await gqlOk(b.url, rootKey, PUBLISH, { i: { type: 'sms.received', payload: { to } } })).publishEvent.deliveries.length;
    // B caches the account's webhook set on this publish.
    expect(await publish('+1555')).toBe(1);
    await gqlOk(a.url, rootKey, `mutation($id: ID!, $i: UpdateWebhookInput!) { updateWebhook(id: $id, input: $i) { id } }`, {
      id: createWebhook.webhook.id,
      i: { filters: { to: '+1666' } },
    });
    expect(await publish('+1555')).toBe(0);
    expect(await publish('+1666')).toBe(1);
    await gqlOk(a.url, rootKey, `mutation($id: ID!) { deleteWebhook(id: $id) { id } }`, { id: createWebhook.webhook.id });
    expect(await publish('+1666')).toBe(0);
  });
});
