import { startHookline, TestHookline } from '../helpers/hookline';
import { collect, wsClient } from '../helpers/ws-client';
import { pollUntil } from '../helpers/poll';

const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;

describe('eventPublished over graphql-ws', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'sqlite' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('streams matching events of the caller\'s account only, with the id receivers get as webhook-id', async () => {
    const client = wsClient(h.url, h.apiKey);
    const sub = collect(client, `subscription($f: JSONObject) { eventPublished(types: ["call.completed.booked_callback"], filters: $f) { id type payload } }`, {
      f: { phone_number: '+1555%' },
    });
    const matching = (phone: string) => ({ i: { type: 'call.completed', payload: { disposition: 'booked_callback', phone_number: phone } } });
    // The subscription is live once a matching event comes through: publish a marker until one does.
    const deadline = Date.now() + 10_000;
    while (!sub.results.length) {
      if (Date.now() > deadline) throw new Error('the subscription never became live');
      await h.ok(PUBLISH, matching('+15550000'));
      await sub.next(1, 200).catch(() => undefined);
    }
    const before = sub.results.length;
    const other = await h.newAccount('other');
    await h.ok(PUBLISH, matching('+15551234'), other.apiKey);
    await h.ok(PUBLISH, { i: { type: 'call.completed', payload: { disposition: 'voicemail', phone_number: '+15551234' } } });
    await h.ok(PUBLISH, { i: { type: 'call.failed', payload: { disposition: 'booked_callback', phone_number: '+15551234' } } });
    await h.ok(PUBLISH, matching('+14151234'));
    const { publishEvent } = await h.ok(PUBLISH, matching('+15559999'));
    const { publishEvent: last } = await h.ok(PUBLISH, matching('+15558888'));
    // Events arrive in publish order, so the two matching ones come next and nothing in between.
    const results = await sub.next(before + 2);
    expect(results[before].data.eventPublished).toMatchObject({ id: publishEvent.id, type: 'call.completed', payload: { phone_number: '+15559999' } });
    expect(results[before + 1].data.eventPublished.id).toBe(last.id);
    expect(h.hookline.realtime.mayHaveSubscribers('EVENT_PUBLISHED', h.accountId)).toBe(true);
    sub.dispose();
    await client.dispose();
    // Once the subscription ends, publishers stop building messages for this account.
    await pollUntil(() => !h.hookline.realtime.mayHaveSubscribers('EVENT_PUBLISHED', h.accountId), { what: 'the subscription to be counted as ended' });
  });
});
