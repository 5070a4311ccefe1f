import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startHookline, TestAccount, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const TARGETS = `query($id: ID!) { event(id: $id) { createdAt deliveries { webhookId targetUrl nextAttemptAt createdAt } } }`;

/** Account A's webhooks, by name: what each subscribes to. */
const WEBHOOKS: Record<string, Record<string, unknown>> = {
  failed: { events: ['call.failed'] },
  completed: { events: ['call.completed'] },
  booked: { events: ['call.completed.booked_callback'] },
  busy: { events: ['call.failed'], filters: { disposition: 'busy' } },
  busyOrNoAnswer: { events: ['call.failed'], filters: { disposition: ['busy', 'no_answer'] } },
  from1555: { events: ['call.failed'], filters: { phone_number: '+1555%' } },
  conversion: { events: ['call.completed'], filters: { is_conversion: true } },
  paused: { events: ['call.failed', 'call.completed'], enabled: false },
  deleted: { events: ['call.failed', 'call.completed'] },
};

describe('fan-out: which webhooks an event reaches (mysql)', () => {
  let h: TestHookline;
  let rx: Receiver;
  let other: TestAccount;
  let otherWebhookId: string;
  /** Webhook id → name, for readable assertions. */
  const names = new Map<string, string>();

  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_POLL_INTERVAL_MS: '50' } });
    rx = await startReceiver();
    await h.ok(`mutation { upsertCampaign(input: { id: "camp_abc123", name: "x", conversionOutcomes: ["booked_callback"] }) { id } }`);
    for (const [name, input] of Object.entries(WEBHOOKS)) {
      const { createWebhook } = await h.ok(CREATE, { i: { name, url: `${rx.url}/${name}`, ...input } });
      names.set(createWebhook.webhook.id, name);
    }
    const deleted = [...names].find(([, n]) => n === 'deleted')![0];
    await h.ok(`mutation($id: ID!) { deleteWebhook(id: $id) { id } }`, { id: deleted });
    other = await h.newAccount('fan-out-other');
    otherWebhookId = (await h.ok(CREATE, { i: { name: 'other', url: `${rx.url}/other`, events: ['call.failed', 'call.completed'] } }, other.apiKey)).createWebhook.webhook.id;
  });
  afterAll(async () => {
    await h?.stop();
    await rx?.close();
  });

  async function publish(input: Record<string, unknown>, token?: string): Promise<string> {
    return (await h.ok(PUBLISH, { i: input }, token)).publishEvent.id;
  }

  /** Names of the webhooks the event got a delivery for (one-off targets as `one-off`), sorted. */
  async function targets(eventId: string): Promise<string[]> {
    const { event } = await h.ok(TARGETS, { id: eventId });
    return event.deliveries.map((d: any) => (d.webhookId ? names.get(d.webhookId) ?? d.webhookId : 'one-off')).sort();
  }

  const failed = (payload: Record<string, unknown>) => ({ type: 'call.failed', payload: { call_id: 'c1', ...payload } });
  const completed = (payload: Record<string, unknown>) => ({ type: 'call.completed', payload: { call_id: 'c1', ...payload } });

  it('a webhook gets only the event types it subscribed to, and an event nobody wants gets no delivery', async () => {
    expect(await targets(await publish(failed({ disposition: 'error', phone_number: '+14150000000' })))).toEqual(['failed']);
    expect(await targets(await publish({ type: 'sms.received', payload: { from: '+14150000000' } }))).toEqual([]);
  });

  it('call.completed.booked_callback matches only completions whose disposition is booked_callback', async () => {
    expect(await targets(await publish(completed({ disposition: 'booked_callback', campaign_id: 'camp_unknown' })))).toEqual(['booked', 'completed']);
    expect(await targets(await publish(completed({ disposition: 'voicemail', campaign_id: 'camp_unknown' })))).toEqual(['completed']);
  });

  it('a scalar filter means equality, an array any-of, and a string with % a LIKE pattern', async () => {
    expect(await targets(await publish(failed({ disposition: 'busy', phone_number: '+15551234567' })))).toEqual(['busy', 'busyOrNoAnswer', 'failed', 'from1555']);
    expect(await targets(await publish(failed({ disposition: 'no_answer', phone_number: '+14155551234' })))).toEqual(['busyOrNoAnswer', 'failed']);
    expect(await targets(await publish(failed({ disposition: 'error', phone_number: '+15559990000' })))).toEqual(['failed', 'from1555']);
    // The pattern is anchored: +1555 in the middle is no match.
    expect(await targets(await publish(failed({ disposition: 'error', phone_number: '+21555000000' })))).toEqual(['failed']);
  });

  it("is_conversion matches when the disposition is one of the conversion outcomes of the event's campaign", async () => {
    expect(await targets(await publish(completed({ disposition: 'booked_callback', campaign_id: 'camp_abc123' })))).toEqual(['booked', 'completed', 'conversion']);
    expect(await targets(await publish(completed({ disposition: 'not_interested', campaign_id: 'camp_abc123' })))).toEqual(['completed']);
    expect(await targets(await publish(completed({ disposition: 'booked_callback', campaign_id: 'camp_other' })))).toEqual(['booked', 'completed']);
  });

  it("paused and deleted webhooks and another account's webhooks get nothing", async () => {
    const e1 = await publish(failed({ disposition: 'busy', phone_number: '+15551234567' }));
    const e2 = await publish(completed({ disposition: 'booked_callback', campaign_id: 'camp_abc123' }));
    for (const id of [e1, e2]) {
      const got = await targets(id);
      expect(got).not.toContain('paused');
      expect(got).not.toContain('deleted');
      expect(got).not.toContain(otherWebhookId);
    }
    // The other account's webhook does work for its own events.
    const own = await publish(failed({}), other.apiKey);
    const { event } = await h.ok(TARGETS, { id: own }, other.apiKey);
    expect(event.deliveries.map((d: any) => d.webhookId)).toEqual([otherWebhookId]);
  });

  it('a one-off webhookUrl gets the event, signed with the account secret, only when its type is in webhookEvents', async () => {
    const oneOff = await startReceiver();
    try {
      const base = { ...failed({ disposition: 'error', phone_number: '+14150000000' }), webhookUrl: `${oneOff.url}/per-call` };
      const wanted = await publish({ ...base, webhookEvents: ['call.completed', 'call.failed'] });
      expect(await targets(wanted)).toEqual(['failed', 'one-off']);
      const [req] = await oneOff.waitForRequests(1, 10_000);
      expect(req.path).toBe('/per-call');
      expect(req.headers['webhook-id']).toBe(wanted);
      const accountSecret = await h.hookline.services.events.ensureAccountSecret(h.hookline.ds, h.accountId);
      expect(new StandardWebhook(accountSecret).verify(req.body, req.headers)).toMatchObject({ id: wanted, type: 'call.failed' });

      const unwanted = await publish({ ...base, webhookEvents: ['call.completed'] });
      expect(await targets(unwanted)).toEqual(['failed']);
    } finally {
      await oneOff.close();
    }
  });

  it('deliverAfterSeconds: 2 holds the first attempt back at least 2 s', async () => {
    const before = Date.now();
    const id = await publish({ ...failed({ disposition: 'error', phone_number: '+14150000000' }), deliverAfterSeconds: 2 });
    const isIt = () => rx.requests.find((r) => r.path === '/failed' && r.headers['webhook-id'] === id);
    await pollUntil(isIt, { timeoutMs: 6_000, what: 'the delayed delivery' });
    expect(isIt()!.at - before).toBeGreaterThanOrEqual(2_000);
  });

  it('call.completed is due 15 s after publish by default, call.failed at once', async () => {
    const dueIn = async (id: string) => {
      const { event } = await h.ok(TARGETS, { id });
      return event.deliveries.map((d: any) => Date.parse(d.nextAttemptAt) - Date.parse(d.createdAt));
    };
    const completion = await dueIn(await publish(completed({ disposition: 'voicemail' })));
    expect(completion).toHaveLength(1);
    expect(completion[0]).toBeGreaterThanOrEqual(15_000);
    expect(completion[0]).toBeLessThan(15_050);
    // call.failed is claimed at once, so its nextAttemptAt may already be cleared by the attempt.
    const failure = await publish(failed({ disposition: 'error', phone_number: '+14150000000' }));
    const [req] = await pollUntil(() => rx.requests.filter((r) => r.headers['webhook-id'] === failure), { until: (l) => l.length > 0, what: 'the call.failed delivery' });
    const { event } = await h.ok(TARGETS, { id: failure });
    expect(req.at - Date.parse(event.createdAt)).toBeLessThan(1_000);
  });
});
