import crypto from 'node:crypto';
import http from 'node:http';
import { IDEMPOTENCY_LOCK_MS, REDACTED } from '../../src/domain/idempotency.service';
import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';

const CREATE_WEBHOOK = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`;
const CREATE_KEY = `mutation($n: String!) { createApiKey(name: $n) { token apiKey { id } } }`;
const TEST_WEBHOOK = `mutation($id: ID!) { testWebhook(id: $id) { responseStatus } }`;
const MASTER_KEY = crypto.randomBytes(32).toString('base64');
const freshKey = () => `idem_${crypto.randomBytes(8).toString('hex')}`;

/** POSTs one operation with an Idempotency-Key; returns status, replay header and parsed body. */
async function post(h: TestHookline, key: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${h.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.apiKey}`, 'idempotency-key': key },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as any };
}

/** Everything the idempotency table holds for the account, as one string. */
async function storedResponses(h: TestHookline): Promise<string> {
  const rows: { response_body: string | null }[] = await h.hookline.ds.query('SELECT response_body FROM idempotency_records WHERE account_id = ?', [h.accountId]);
  return rows.map((r) => r.response_body ?? '').join('\n');
}

/** createApiKey, createWebhook and rotateWebhookSecret, each sent twice with its own key; returns the secrets they returned. */
async function secretFlows(h: TestHookline) {
  const keys = { apiKey: freshKey(), webhook: freshKey(), rotate: freshKey() };
  const created = await post(h, keys.apiKey, CREATE_KEY, { n: 'ci' });
  const webhook = await post(h, keys.webhook, CREATE_WEBHOOK, { i: { name: 'w', url: 'http://127.0.0.1:9/hook', events: ['call.failed'] } });
  const rotated = await post(h, keys.rotate, ROTATE, { id: webhook.body.data.createWebhook.webhook.id });
  const secrets = [created.body.data.createApiKey.token, webhook.body.data.createWebhook.secret, rotated.body.data.rotateWebhookSecret.secret] as string[];
  const replays = [
    await post(h, keys.apiKey, CREATE_KEY, { n: 'ci' }),
    await post(h, keys.webhook, CREATE_WEBHOOK, { i: { name: 'w', url: 'http://127.0.0.1:9/hook', events: ['call.failed'] } }),
    await post(h, keys.rotate, ROTATE, { id: webhook.body.data.createWebhook.webhook.id }),
  ];
  return { secrets, replays };
}

describe('Idempotency-Key holds until the mutation ends, and keeps no secret in clear (MariaDB)', () => {
  let h: TestHookline;
  let rx: Receiver;
  beforeAll(async () => {
    [h, rx] = await Promise.all([startHookline(), startReceiver()]);
  });
  afterAll(async () => {
    await Promise.all([h?.stop(), rx?.close()]);
  });

  it('a client that disconnects mid-mutation and retries with the same key runs it once: IN_USE, then the replay', async () => {
    const { createWebhook } = await h.ok(CREATE_WEBHOOK, { i: { name: 'slow', url: `${rx.url}/slow`, events: ['call.failed'] } });
    rx.respond({ status: 200, body: '{}', delayMs: 1_500 });
    const key = freshKey();
    // The first client sends testWebhook and hangs up once the receiver has the request.
    const first = http.request(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.apiKey}`, 'idempotency-key': key },
    });
    first.on('error', () => undefined);
    first.end(JSON.stringify({ query: TEST_WEBHOOK, variables: { id: createWebhook.webhook.id } }));
    await rx.waitForRequests(1);
    first.destroy();
    const retry = await post(h, key, TEST_WEBHOOK, { id: createWebhook.webhook.id });
    expect(retry.status).toBe(409);
    expect(retry.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    await pollUntil(async () => (await h.hookline.ds.query('SELECT state FROM idempotency_records WHERE idem_key = ?', [key]))[0]?.state, {
      what: 'the abandoned request to finish',
      until: (s) => s === 'DONE',
      timeoutMs: 10_000,
    });
    const replay = await post(h, key, TEST_WEBHOOK, { id: createWebhook.webhook.id });
    expect(replay).toMatchObject({ status: 200, replayed: 'true', body: { data: { testWebhook: { responseStatus: 200 } } } });
    expect(rx.requests).toHaveLength(1);
  });

  it('a running key is renewed, so a live holder is never taken over; a dead one is after the lock', async () => {
    const svc = h.hookline.services.idempotency;
    const t0 = new Date();
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const [live, dead] = [freshKey(), freshKey()];
    expect(await svc.begin(h.accountId, live, 'hash', t0)).toEqual({ kind: 'proceed' });
    expect(await svc.begin(h.accountId, dead, 'hash', t0)).toEqual({ kind: 'proceed' });
    await svc.renew(h.accountId, live, at(IDEMPOTENCY_LOCK_MS * 0.9));
    expect(await svc.begin(h.accountId, live, 'hash', at(IDEMPOTENCY_LOCK_MS * 1.5))).toEqual({ kind: 'in_use' });
    expect(await svc.begin(h.accountId, dead, 'hash', at(IDEMPOTENCY_LOCK_MS * 1.5))).toEqual({ kind: 'proceed' });
  });

  it('without HOOKLINE_MASTER_KEY, stored replays hold no token or secret: they read as redacted', async () => {
    const { secrets, replays } = await secretFlows(h);
    const stored = await storedResponses(h);
    for (const s of secrets) expect(stored).not.toContain(s);
    expect(replays.map((r) => r.replayed)).toEqual(['true', 'true', 'true']);
    expect(replays[0].body.data.createApiKey.token).toBe(REDACTED);
    expect(replays[1].body.data.createWebhook.secret).toBe(REDACTED);
    expect(replays[2].body.data.rotateWebhookSecret.secret).toBe(REDACTED);
  });

  it('with HOOKLINE_MASTER_KEY, stored replays are sealed and replay the secrets in full', async () => {
    const sealed = await startHookline({ env: { HOOKLINE_MASTER_KEY: MASTER_KEY } });
    try {
      const { secrets, replays } = await secretFlows(sealed);
      const stored = await storedResponses(sealed);
      for (const s of secrets) expect(stored).not.toContain(s);
      expect(stored.split('\n').every((b) => b.startsWith('enc:v1:'))).toBe(true);
      expect([replays[0].body.data.createApiKey.token, replays[1].body.data.createWebhook.secret, replays[2].body.data.rotateWebhookSecret.secret]).toEqual(secrets);
    } finally {
      await sealed.stop();
    }
  });
});
