import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startTopCallsReceiver } from '../fixtures/topcalls-express-receiver';
import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';
import { rest } from '../helpers/rest-client';
import { collect, wsClient } from '../helpers/ws-client';

/** The call.completed payload of seeds/002, as printed. */
const CALL = {
  call_id: '564d4fd4-03bc-400a-abe0-05540fbeff88',
  phone_number: '+14155551234',
  from_phone_number: '+18005551234',
  status: 'completed',
  call_status: 'completed',
  duration: 2.5,
  transcript: [
    { id: 1, user: 'assistant', text: 'Hi, this is Sarah from TopView Dental...', created_at: '2025-12-22T10:30:05Z' },
    { id: 2, user: 'user', text: 'Yes, hi...', created_at: '2025-12-22T10:30:08Z' },
  ],
  recording_url: 'https://api.topcalls.ai/recordings/.../2025/12/22/mp3',
  call_summary: 'Successfully confirmed appointment...',
  answered_by: 'human',
  campaign_id: 'camp_abc123',
  lead_id: 'lead_xyz789',
  created_at: '2025-12-22T10:30:00Z',
  started_at: '2025-12-22T10:30:05Z',
  end_at: '2025-12-22T10:32:35Z',
  metadata: { patient_id: 'pat_123', source: 'reminder_system' },
};
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const BY_EVENT = `query($e: ID!) { deliveries(eventId: $e) { edges { node { status attemptCount webhookId } } } }`;
const BY_WEBHOOK = `query($w: ID!) { deliveries(webhookId: $w) { edges { node { status eventId } } } }`;
const UPSERT_CAMPAIGN = `mutation($i: UpsertCampaignInput!) { upsertCampaign(input: $i) { id webhookUrl webhookEvents } }`;

describe('receivers written from the seed documents (mysql)', () => {
  let h: TestHookline;
  const leftovers: Array<() => unknown> = [];
  const publish = async (type: string, payload: Record<string, unknown>) =>
    (await h.ok(PUBLISH, { i: { type, payload, deliverAfterSeconds: 0 } })).publishEvent.id as string;

  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_POLL_INTERVAL_MS: '50' } });
  });
  afterAll(async () => {
    for (const dispose of leftovers.reverse()) await dispose();
    await h?.stop();
  });

  it('002’s Express receiver accepts deliveries of a webhook made through /v1/webhooks, unchanged', async () => {
    const secret = 'topcalls_receiver_secret';
    const receiver = await startTopCallsReceiver(secret);
    leftovers.push(receiver.close);
    const created = await rest(h.url, 'POST', '/v1/webhooks', { token: h.apiKey, body: { event: 'call.completed', url: receiver.url, secret } });
    expect(created.status).toBe(201);
    // The same webhook feeds live streams: its delivery shows up on deliveryUpdated.
    const client = wsClient(h.url, h.apiKey);
    leftovers.push(() => client.dispose());
    const live = collect(client, `subscription($w: ID) { deliveryUpdated(webhookId: $w) { status webhookId } }`, { w: created.body.id });
    await pollUntil(() => h.hookline.realtime.mayHaveSubscribers('DELIVERY_UPDATED', h.accountId), { what: 'the deliveryUpdated subscription' });

    const eventId = await publish('call.completed', CALL);
    await pollUntil(() => receiver.calls.length, { what: 'a verified call at the 002 receiver' });
    expect(receiver.refused).toEqual([]);
    expect(receiver.calls).toEqual([CALL]);
    const deliveries = await pollUntil(async () => (await h.ok(BY_EVENT, { e: eventId })).deliveries.edges, {
      until: (edges) => edges[0]?.node.status === 'SUCCEEDED',
    });
    expect(deliveries.map((e: { node: unknown }) => e.node)).toEqual([{ status: 'SUCCEEDED', attemptCount: 1, webhookId: created.body.id }]);
    const updates = await live.next(1);
    expect(updates.some((u) => u.data?.deliveryUpdated.webhookId === created.body.id)).toBe(true);
  });

  it('sends a DATA webhook the Standard Webhooks headers too, and the hex HMAC only under its own header', async () => {
    const receiver = await startReceiver();
    leftovers.push(receiver.close);
    const secret = 'optional_secret_for_hmac';
    const created = await rest(h.url, 'POST', '/v1/webhooks', { token: h.apiKey, body: { event: 'call.completed.booked_callback', url: receiver.url, secret } });
    await publish('call.completed', { ...CALL, disposition: 'booked_callback', campaign_id: 'camp_headers' });
    const [req] = await receiver.waitForRequests(1);
    expect(JSON.parse(req.body)).toEqual({ ...CALL, disposition: 'booked_callback', campaign_id: 'camp_headers' });
    expect(req.headers['x-topcalls-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(req.headers['x-hookline-signature']).toBeUndefined();
    expect(new StandardWebhook(secret, { format: 'raw' }).verify(req.body, req.headers)).toEqual(JSON.parse(req.body));
    expect(req.headers['webhook-id']).toBeTruthy();
    expect((await h.ok(BY_WEBHOOK, { w: created.body.id })).deliveries.edges).toHaveLength(1);
  });

  it('shows a webhook made through GraphQL in the REST face, and one made through REST in GraphQL lists', async () => {
    const receiver = await startReceiver();
    leftovers.push(receiver.close);
    const { createWebhook } = await h.ok(`mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`, {
      i: { name: 'from graphql', url: receiver.url, events: ['lead.status_changed'], filters: { campaign_id: 'camp_abc123' } },
    });
    const got = await rest(h.url, 'GET', `/v1/webhooks/${createWebhook.webhook.id}`, { token: h.apiKey });
    expect(got.body).toMatchObject({ id: createWebhook.webhook.id, event: 'lead.status_changed', url: receiver.url, filters: { campaign_id: 'camp_abc123' } });
    const restIds = (await rest(h.url, 'GET', '/v1/webhooks?limit=100', { token: h.apiKey })).body.data.map((w: { id: string }) => w.id);
    const gqlIds = (await h.ok(`{ webhooks(first: 100) { edges { node { id } } } }`)).webhooks.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(restIds).toEqual(gqlIds);
  });

  describe('campaign webhooks', () => {
    let receiver: Receiver;
    let all: Receiver;
    beforeAll(async () => {
      receiver = await startReceiver();
      all = await startReceiver();
      leftovers.push(receiver.close, all.close);
    });

    it('refuses a bad target or unknown events with field errors and stores nothing', async () => {
      const bad = await h.gql(UPSERT_CAMPAIGN, { i: { id: 'camp_bad', name: 'Bad', webhookUrl: 'ftp://127.0.0.1/x', webhookEvents: ['call.exploded'] } });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { webhookUrl: expect.any(Array), webhookEvents: expect.any(Array) } });
      expect((await h.ok(`{ campaigns { id } }`)).campaigns.map((c: { id: string }) => c.id)).not.toContain('camp_bad');
    });

    it('delivers the campaign’s matching campaign.* and call.* events to its URL, signed and retried', async () => {
      const { upsertCampaign } = await h.ok(UPSERT_CAMPAIGN, {
        i: { id: 'camp_abc123', name: 'Sales Outreach', webhookUrl: receiver.url + '/campaign', webhookEvents: ['campaign.started', 'campaign.completed', 'call.completed'] },
      });
      expect(upsertCampaign.webhookEvents).toEqual(['campaign.started', 'campaign.completed', 'call.completed']);
      receiver.respond({ status: 500 });
      const started = await publish('campaign.started', { campaign_id: 'camp_abc123', name: 'Sales Outreach' });
      const otherCampaign = await publish('call.completed', { ...CALL, campaign_id: 'camp_other' });
      const notWanted = await publish('call.failed', { ...CALL, campaign_id: 'camp_abc123' });
      const notNamed = await publish('lead.status_changed', { campaign_id: 'camp_abc123', lead_id: 'lead_1' });
      const completedCall = await publish('call.completed', CALL);
      const completed = await publish('campaign.completed', { campaign_id: 'camp_abc123' });
      // The first attempt fails with 500; the retry brings the third distinct event's count to four requests.
      const requests = await receiver.waitForRequests(4, 10_000);
      const ids = new Set(requests.map((r) => JSON.parse(r.body).id));
      expect([...ids].sort()).toEqual([started, completedCall, completed].sort());
      for (const e of [otherCampaign, notWanted, notNamed]) {
        expect((await h.ok(BY_EVENT, { e })).deliveries.edges.filter((d: { node: { webhookId: string | null } }) => d.node.webhookId === null)).toEqual([]);
      }
      const secret = (await h.ok(`{ accountSigningSecret }`)).accountSigningSecret;
      for (const r of requests) expect(new StandardWebhook(secret).verify(r.body, r.headers)).toEqual(JSON.parse(r.body));
      const retried = await pollUntil(async () => (await h.ok(BY_EVENT, { e: started })).deliveries.edges, {
        until: (edges) => edges.some((d: { node: { status: string } }) => d.node.status === 'SUCCEEDED'),
      });
      expect(retried.find((d: { node: { webhookId: string | null } }) => d.node.webhookId === null).node).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2 });
    });

    it('sends every campaign.* and call.* event naming the campaign when it lists no events', async () => {
      await h.ok(UPSERT_CAMPAIGN, { i: { id: 'camp_all', name: 'All', webhookUrl: all.url } });
      const lead = await publish('lead.status_changed', { campaign_id: 'camp_all', lead_id: 'lead_2' });
      const failed = await publish('call.failed', { ...CALL, campaign_id: 'camp_all' });
      const paused = await publish('campaign.paused', { campaign_id: 'camp_all' });
      // Creating the campaign published campaign.activated, which names it too.
      const requests = await all.waitForRequests(3);
      const bodies = requests.map((r) => JSON.parse(r.body));
      expect(bodies.map((b) => b.type).sort()).toEqual(['call.failed', 'campaign.activated', 'campaign.paused']);
      expect(bodies.map((b) => b.id)).toEqual(expect.arrayContaining([failed, paused]));
      expect((await h.ok(BY_EVENT, { e: lead })).deliveries.edges).toEqual([]);
      // An empty webhookUrl removes the target: the campaign's next events go nowhere.
      expect((await h.ok(UPSERT_CAMPAIGN, { i: { id: 'camp_all', webhookUrl: '' } })).upsertCampaign).toEqual({ id: 'camp_all', webhookUrl: null, webhookEvents: null });
      const after = await publish('call.failed', { ...CALL, campaign_id: 'camp_all' });
      expect((await h.ok(BY_EVENT, { e: after })).deliveries.edges).toEqual([]);
    });
  });
});
