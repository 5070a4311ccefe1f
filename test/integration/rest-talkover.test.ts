import { startHookline, TestHookline } from '../helpers/hookline';
import { startReceiver, Receiver } from '../helpers/receiver';
import { rest } from '../helpers/rest-client';

/** The agent and the request body of seeds/004, as printed. */
const DOC_AGENT = '9fbef0b7-8d4e-4a08-9207-66c22155721d';
const DOC_BODY = `{
    "name": "My Webhook",
    "webhook_url": "https://example.com/webhook",
    "webhook_secret": "optional_secret_for_hmac",
    "events": ["event_phone_call_started", "event_phone_call_ended"],
    "timeout": 30,
    "max_retries": 3,
    "enabled": true
  }`;
const DOC_DATA_KEYS = ['id', 'agent_id', 'name', 'webhook_url', 'events', 'timeout', 'max_retries', 'enabled', 'created_at', 'updated_at', 'events_count', 'status'];
const UPSERT_AGENT = `mutation($i: UpsertAgentInput!) { upsertAgent(input: $i) { id name } }`;
const WEBHOOK = `query($id: ID!) { webhook(id: $id) { id name url events agentId maxRetries timeoutSeconds enabled payloadFormat signatureHeader deletedAt } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;

// The documents' example hosts (example.com) are stored, never called: no event is ever published to the
// agent that owns them, and private targets are allowed in tests, so saving them does no DNS lookup either.
describe('Talkover REST face: /api/v1/agents/{agent_id}/webhooks (mysql)', () => {
  let h: TestHookline;
  const receivers: Receiver[] = [];
  const path = (agent = DOC_AGENT) => `/api/v1/agents/${agent}/webhooks`;
  const call = (method: string, p: string, body?: unknown, headers?: Record<string, string>) => rest(h.url, method, p, { token: h.apiKey, body, headers });
  const rowCount = async () => Number((await h.hookline.ds.query('SELECT COUNT(*) AS n FROM webhooks'))[0].n);

  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_POLL_INTERVAL_MS: '50' } });
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('answers the documented 401 without a Bearer token', async () => {
    const r = await rest(h.url, 'POST', path(), { body: DOC_BODY });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ message: 'Missing Bearer Token' });
  });

  it('answers the documented 404 for an agent that does not exist', async () => {
    const r = await call('POST', path(), DOC_BODY);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ success: false, message: 'Agent not found in this environment.' });
  });

  it('creates the documented webhook and answers the documented envelope', async () => {
    await h.ok(UPSERT_AGENT, { i: { id: DOC_AGENT, name: 'Receptionist' } });
    const r = await call('POST', path(), DOC_BODY);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ success: true, message: 'Webhook created successfully' });
    expect(Object.keys(r.body.data).sort()).toEqual([...DOC_DATA_KEYS].sort());
    expect(r.body.data).toMatchObject({
      agent_id: DOC_AGENT,
      name: 'My Webhook',
      webhook_url: 'https://example.com/webhook',
      events: ['event_phone_call_started', 'event_phone_call_ended'],
      timeout: 30,
      max_retries: 3,
      enabled: true,
      events_count: 2,
      status: 'active',
    });
    expect(r.body.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // The same webhook in GraphQL, with the secret as given.
    const { webhook } = await h.ok(WEBHOOK, { id: r.body.data.id });
    expect(webhook).toMatchObject({ url: 'https://example.com/webhook', agentId: DOC_AGENT, maxRetries: 3, payloadFormat: 'ENVELOPE' });
    const { webhookSecret } = await h.ok(`query($id: ID!) { webhookSecret(id: $id) { secret } }`, { id: r.body.data.id });
    expect(webhookSecret.secret).toBe('optional_secret_for_hmac');
  });

  it('defaults max_retries to 3, timeout to 30 and enabled to true', async () => {
    const r = await call('POST', path(), { name: 'Defaults', webhook_url: 'https://example.com/d', events: ['event_phone_call_ended'] });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ max_retries: 3, timeout: 30, enabled: true, events_count: 1 });
  });

  it('answers the documented 422 body verbatim and writes nothing', async () => {
    const before = await rowCount();
    const r = await call('POST', path(), { name: 'My Webhook', events: [] });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      message: 'The given data was invalid.',
      errors: {
        webhook_url: ['The webhook url field is required.'],
        events: ['The events field must contain at least 1 items.'],
      },
    });
    expect(await rowCount()).toBe(before);
  });

  it.each([
    ['name longer than 255', { name: 'n'.repeat(256) }, 'name', 'The name field must not be greater than 255 characters.'],
    ['no name', { name: undefined }, 'name', 'The name field is required.'],
    ['webhook_url longer than 500', { webhook_url: 'https://example.com/' + 'a'.repeat(481) }, 'webhook_url', 'The webhook url field must not be greater than 500 characters.'],
    ['webhook_url not a URL', { webhook_url: 'not a url' }, 'webhook_url', 'The webhook url field must be a valid URL.'],
    ['webhook_secret longer than 255', { webhook_secret: 's'.repeat(256) }, 'webhook_secret', expect.stringContaining('The webhook secret field is invalid')],
    ['an unknown event', { events: ['event_phone_call_exploded'] }, 'events', expect.stringContaining('The selected events is invalid')],
    ['timeout 4', { timeout: 4 }, 'timeout', 'The timeout field must be between 5 and 120.'],
    ['timeout 121', { timeout: 121 }, 'timeout', 'The timeout field must be between 5 and 120.'],
    ['timeout 2.5', { timeout: 2.5 }, 'timeout', 'The timeout field must be an integer.'],
    ['max_retries -1', { max_retries: -1 }, 'max_retries', 'The max retries field must be between 0 and 10.'],
    ['max_retries 11', { max_retries: 11 }, 'max_retries', 'The max retries field must be between 0 and 10.'],
    ['enabled "yes"', { enabled: 'yes' }, 'enabled', 'The enabled field must be true or false.'],
  ])('refuses %s with a 422 naming only that field', async (_name, over, field, message) => {
    const before = await rowCount();
    const r = await call('POST', path(), { ...JSON.parse(DOC_BODY), ...over });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ message: 'The given data was invalid.', errors: { [field]: [message] } });
    expect(await rowCount()).toBe(before);
  });

  it('accepts the edges of each documented range', async () => {
    const r = await call('POST', path(), { ...JSON.parse(DOC_BODY), name: 'n'.repeat(255), webhook_secret: 's'.repeat(255), timeout: 5, max_retries: 0, enabled: false });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ timeout: 5, max_retries: 0, enabled: false, status: 'paused' });
    const top = await call('POST', path(), { ...JSON.parse(DOC_BODY), timeout: 120, max_retries: 10 });
    expect(top.body.data).toMatchObject({ timeout: 120, max_retries: 10 });
  });

  it('lists, gets, updates and deletes an agent’s webhooks, and keeps other agents’ apart', async () => {
    await h.ok(UPSERT_AGENT, { i: { id: 'agent-crud', name: 'CRUD' } });
    await h.ok(UPSERT_AGENT, { i: { id: 'agent-other', name: 'Other' } });
    const created = (await call('POST', path('agent-crud'), JSON.parse(DOC_BODY))).body.data;
    const list = await call('GET', path('agent-crud'));
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ success: true, data: [expect.objectContaining({ id: created.id })] });
    expect(list.body.data).toHaveLength(1);
    const badPage = await call('GET', `${path('agent-crud')}?per_page=0`);
    expect(badPage.status).toBe(422);
    expect(Object.keys(badPage.body.errors)).toEqual(['per_page']);
    expect((await call('GET', `${path('agent-crud')}/${created.id}`)).body.data).toEqual(created);
    const foreign = await call('GET', `${path('agent-other')}/${created.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ success: false, message: 'Webhook not found.' });

    const updated = await call('PUT', `${path('agent-crud')}/${created.id}`, { name: 'Renamed', timeout: 45, enabled: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ success: true, message: 'Webhook updated successfully', data: { name: 'Renamed', timeout: 45, enabled: false, status: 'paused', max_retries: 3 } });
    const bad = await call('PATCH', `${path('agent-crud')}/${created.id}`, { timeout: 500, events: [] });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['events', 'timeout']);
    expect((await h.ok(WEBHOOK, { id: created.id })).webhook).toMatchObject({ name: 'Renamed', timeoutSeconds: 45, enabled: false });

    const deleted = await call('DELETE', `${path('agent-crud')}/${created.id}`);
    expect(deleted.body).toEqual({ success: true, message: 'Webhook deleted successfully' });
    expect((await call('GET', `${path('agent-crud')}/${created.id}`)).status).toBe(404);
    expect((await call('GET', path('agent-crud'))).body.data).toEqual([]);
    expect((await h.ok(WEBHOOK, { id: created.id })).webhook.deletedAt).not.toBeNull();
  });

  it('replays a create with the same Idempotency-Key and refuses the key with another body', async () => {
    const headers = { 'Idempotency-Key': 'talkover-create-0001' };
    const first = await call('POST', path(), DOC_BODY, headers);
    const again = await call('POST', path(), DOC_BODY, headers);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await call('POST', path(), { ...JSON.parse(DOC_BODY), name: 'Other' }, headers);
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ success: false, message: 'This Idempotency-Key was already used with a different request' });
  });

  it('delivers to an agent’s webhook only the events that carry its agent_id', async () => {
    const [a, b] = [await startReceiver(), await startReceiver()];
    receivers.push(a, b);
    await h.ok(UPSERT_AGENT, { i: { id: 'agent-a', name: 'A' } });
    await h.ok(UPSERT_AGENT, { i: { id: 'agent-b', name: 'B' } });
    for (const [agent, receiver] of [['agent-a', a], ['agent-b', b]] as const) {
      const r = await call('POST', path(agent), { name: agent, webhook_url: receiver.url + '/hook', events: ['event_phone_call_started'] });
      expect(r.status).toBe(201);
    }
    const publish = (agent: string) => h.ok(PUBLISH, { i: { type: 'event_phone_call_started', payload: { agent_id: agent, call_id: `call-${agent}` } } });
    await publish('agent-a');
    await publish('agent-b');
    await publish('agent-a');
    const [ra] = [await a.waitForRequests(2), await b.waitForRequests(1)];
    // Both agents' events were published before either check: a leak would have arrived by now.
    await h.ok(PUBLISH, { i: { type: 'event_phone_call_started', payload: { agent_id: 'agent-b', call_id: 'last' } } });
    await b.waitForRequests(2);
    expect(ra.map((r) => JSON.parse(r.body).data.agent_id)).toEqual(['agent-a', 'agent-a']);
    expect(a.requests).toHaveLength(2);
    expect(b.requests.map((r) => JSON.parse(r.body).data.agent_id)).toEqual(['agent-b', 'agent-b']);
  });

  it('sends a test event through the test endpoint and reports the attempt', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    await h.ok(UPSERT_AGENT, { i: { id: 'agent-test', name: 'T' } });
    const created = (await call('POST', path('agent-test'), { name: 't', webhook_url: receiver.url + '/t', events: ['event_phone_call_ended'] })).body.data;
    const r = await call('POST', `${path('agent-test')}/${created.id}/test`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, data: { delivered: true, status_code: 200 } });
    const [req] = await receiver.waitForRequests(1);
    expect(JSON.parse(req.body)).toMatchObject({ type: 'event_phone_call_ended', data: { agent_id: expect.any(String) } });
  });
});
