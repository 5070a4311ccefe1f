import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startHookline, TestHookline } from '../helpers/hookline';
import { startReceiver, Receiver } from '../helpers/receiver';

describe.each(['mysql', 'sqlite'] as const)('delivery on %s', (db) => {
  let h: TestHookline;
  let rx: Receiver;
  beforeAll(async () => {
    h = await startHookline({ db });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await h?.stop();
    await rx?.close();
  });

  it('delivers a published event once, signed so that standardwebhooks verifies it, and logs the attempt', async () => {
    const { createWebhook } = await h.ok(
      `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }`,
      { i: { name: 'rx', url: `${rx.url}/hook`, events: ['call.failed'] } },
    );
    const { publishEvent } = await h.ok(`mutation($i: PublishEventInput!) { publishEvent(input: $i) { id type } }`, {
      i: { type: 'call.failed', payload: { call_id: 'c1', disposition: 'no_answer' } },
    });
    const [req] = await rx.waitForRequests(1, 10_000);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ id: publishEvent.id, type: 'call.failed', data: { call_id: 'c1' } });
    expect(req.headers['webhook-id']).toBe(publishEvent.id);
    const verified = new StandardWebhook(createWebhook.secret).verify(req.body, req.headers);
    expect(verified).toMatchObject({ id: publishEvent.id });
    const deadline = Date.now() + 10_000;
    let delivery: any;
    while (Date.now() < deadline) {
      const r = await h.ok(`query($e: ID!) { deliveries(eventId: $e) { edges { node { id status attemptCount attempts { number trigger responseStatus } } } } }`, { e: publishEvent.id });
      delivery = r.deliveries.edges[0]?.node;
      if (delivery?.status === 'SUCCEEDED') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1, attempts: [{ number: 1, trigger: 'SCHEDULED', responseStatus: 200 }] });
  });
});
