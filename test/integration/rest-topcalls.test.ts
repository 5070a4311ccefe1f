import { startHookline, TestHookline } from '../helpers/hookline';
import { rest } from '../helpers/rest-client';

/** The request body and Idempotency-Key example of seeds/000, as printed. */
const DOC_BODY = `
{
  "event": "call.completed.booked_callback",
  "url": "https://hooks.your-app.com/topcalls",
  "filters": {
    "is_conversion": true,
    "phone_number": "+1555%"
  }
}
`;
const DOC_KEY = 'a1b2c3d4-e5f6-7890-abcd-ef0123456789';
const DOC_RESPONSE_KEYS = ['id', 'account_id', 'event', 'url', 'filters', 'deleted_at', 'created_by_api_key_id', 'created_at'];
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const WEBHOOK = `query($id: ID!) { webhook(id: $id) { id url events filters payloadFormat signatureHeader createdByApiKeyId deletedAt } }`;
const WEBHOOKS = `{ webhooks(first: 100) { edges { node { id } } } }`;

// No event is ever published in this file: the documents' example hosts are stored, never called.
describe('TopCalls REST face: /v1/webhooks (mysql)', () => {
  let h: TestHookline;
  let apiKeyId: string;
  const call = (method: string, p: string, body?: unknown, headers?: Record<string, string>) => rest(h.url, method, p, { token: h.apiKey, body, headers });

  beforeAll(async () => {
    h = await startHookline();
    apiKeyId = (await h.ok(`{ apiKeys { id } }`)).apiKeys[0].id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('creates the documented subscription and answers the documented fields', async () => {
    const r = await call('POST', '/v1/webhooks', DOC_BODY);
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual([...DOC_RESPONSE_KEYS].sort());
    expect(r.body).toMatchObject({
      account_id: h.accountId,
      event: 'call.completed.booked_callback',
      url: 'https://hooks.your-app.com/topcalls',
      filters: { is_conversion: true, phone_number: '+1555%' },
      deleted_at: null,
      created_by_api_key_id: apiKeyId,
    });
    expect(r.body.created_at).toMatch(ISO_SECONDS);
    // The very same webhook in GraphQL, set up to be sent the way TopCalls sends.
    expect((await h.ok(WEBHOOK, { id: r.body.id })).webhook).toEqual({
      id: r.body.id,
      url: 'https://hooks.your-app.com/topcalls',
      events: ['call.completed.booked_callback'],
      filters: { is_conversion: true, phone_number: '+1555%' },
      payloadFormat: 'DATA',
      signatureHeader: 'x-topcalls-signature',
      createdByApiKeyId: apiKeyId,
      deletedAt: null,
    });
  });

  it('replays the documented Idempotency-Key and refuses it with another body', async () => {
    const first = await call('POST', '/v1/webhooks', DOC_BODY, { 'Idempotency-Key': DOC_KEY });
    const again = await call('POST', '/v1/webhooks', DOC_BODY, { 'Idempotency-Key': DOC_KEY });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await call('POST', '/v1/webhooks', { event: 'lead.status_changed', url: 'https://hooks.your-app.com/x' }, { 'Idempotency-Key': DOC_KEY });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const badKey = await call('POST', '/v1/webhooks', DOC_BODY, { 'Idempotency-Key': 'short' });
    expect(badKey.status).toBe(400);
  });

  it.each([
    ['an event outside the documented pattern', { event: 'sms.received' }, ['event']],
    ['an unknown sub-event base', { event: 'call.exploded' }, ['event']],
    ['no event', { event: undefined }, ['event']],
    ['no url', { url: undefined }, ['url']],
    ['an ftp url', { url: 'ftp://hooks.your-app.com/x' }, ['url']],
    ['a bad filter', { filters: { phone_number: [] } }, ['filters']],
    ['an event outside the pattern and a bad url together', { event: 'sms.received', url: 'ftp://hooks.your-app.com/x' }, ['event', 'url']],
  ])('refuses %s with a 422 naming the field', async (_name, over, fields) => {
    const before = (await h.ok(WEBHOOKS)).webhooks.edges.length;
    const r = await call('POST', '/v1/webhooks', { ...JSON.parse(DOC_BODY), ...over });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(r.body.error.fields).sort()).toEqual(fields);
    expect((await h.ok(WEBHOOKS)).webhooks.edges.length).toBe(before);
  });

  it('accepts every event form the documented pattern allows', async () => {
    for (const event of ['call.completed', 'call.completed.voicemail', 'lead.status_changed', 'campaign.activated', 'campaign.paused']) {
      const r = await call('POST', '/v1/webhooks', { event, url: 'https://hooks.your-app.com/e' });
      expect([event, r.status]).toEqual([event, 201]);
    }
  });

  it('lists live subscriptions page by page, gets one, and soft-deletes', async () => {
    const account = await h.newAccount('paging');
    const mine = (method: string, p: string, body?: unknown) => rest(h.url, method, p, { token: account.apiKey, body });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await mine('POST', '/v1/webhooks', { event: 'call.completed', url: `https://hooks.your-app.com/${i}` })).body.id);
    const p1 = await mine('GET', '/v1/webhooks?limit=2');
    expect(p1.status).toBe(200);
    expect(p1.body.data.map((w: { id: string }) => w.id)).toEqual(ids.slice(0, 2));
    expect(p1.body.has_more).toBe(true);
    const p2 = await mine('GET', `/v1/webhooks?limit=2&cursor=${p1.body.next_cursor}`);
    expect(p2.body).toMatchObject({ has_more: false, next_cursor: null });
    expect(p2.body.data.map((w: { id: string }) => w.id)).toEqual(ids.slice(2));
    expect((await mine('GET', '/v1/webhooks?limit=0')).body.error.fields).toHaveProperty('limit');

    const got = await mine('GET', `/v1/webhooks/${ids[0]}`);
    expect(got.body).toMatchObject({ id: ids[0], deleted_at: null });
    const del = await mine('DELETE', `/v1/webhooks/${ids[0]}`);
    expect(del.status).toBe(200);
    expect(del.body.deleted_at).toMatch(ISO_SECONDS);
    expect((await mine('GET', `/v1/webhooks/${ids[0]}`)).body.deleted_at).toBe(del.body.deleted_at);
    expect((await mine('GET', '/v1/webhooks')).body.data.map((w: { id: string }) => w.id)).toEqual(ids.slice(1));
    expect((await mine('DELETE', `/v1/webhooks/${ids[0]}`)).status).toBe(404);
    // Another account's id is not found, as in GraphQL.
    const foreign = await call('GET', `/v1/webhooks/${ids[1]}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
  });

  it('refuses a request without a Bearer token or with an unknown key', async () => {
    const none = await rest(h.url, 'POST', '/v1/webhooks', { body: DOC_BODY });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Missing Bearer Token' } });
    const wrong = await rest(h.url, 'GET', '/v1/webhooks', { token: 'hk_live_nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers JSON 404 for unknown paths and 400 for malformed JSON', async () => {
    const face = await call('GET', '/v1/nothing-here');
    expect(face.status).toBe(404);
    expect(face.body.error.code).toBe('NOT_FOUND');
    const anywhere = await rest(h.url, 'GET', '/no/such/page');
    expect(anywhere.status).toBe(404);
    expect(anywhere.headers.get('content-type')).toMatch(/^application\/json/);
    expect(anywhere.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const malformed = await call('POST', '/v1/webhooks', '{"event": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('BAD_REQUEST');
  });
});
