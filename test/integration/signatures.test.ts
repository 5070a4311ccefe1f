import crypto from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver, ReceivedRequest } from '../helpers/receiver';

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const BY_EVENT = `query($e: ID!) { deliveries(eventId: $e) { edges { node { id status attemptCount } } } }`;

/** The check from the Express receiver in seeds/002: hex HMAC-SHA256 of the re-serialised body, keyed with the secret string. */
function seedCheck(secret: string, req: ReceivedRequest): boolean {
  const expected = crypto.createHmac('sha256', secret).update(JSON.stringify(JSON.parse(req.body))).digest('hex');
  return expected === req.headers['x-hookline-signature'];
}

/** Standard Webhooks verification: true when it passes, the library's message when it throws. */
function verifies(secret: string, req: Pick<ReceivedRequest, 'body' | 'headers'>): true | string {
  try {
    new StandardWebhook(secret).verify(req.body, req.headers);
    return true;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('signatures and request headers (mysql)', () => {
  let h: TestHookline;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    h = await startHookline({ env: { HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_POLL_INTERVAL_MS: '50' } });
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  /** One account with one call.failed webhook to its own receiver. */
  async function tenant(webhook: Record<string, unknown> = {}) {
    const account = await h.newAccount('signatures');
    const rx = await startReceiver();
    receivers.push(rx);
    const ok = (query: string, variables?: Record<string, unknown>) => h.ok(query, variables, account.apiKey);
    const { createWebhook } = await ok(CREATE, { i: { name: 'rx', url: `${rx.url}/hook`, events: ['call.failed'], ...webhook } });
    const publish = async (): Promise<string> => (await ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'c1', disposition: 'busy' } } })).publishEvent.id;
    return { rx, ok, webhookId: createWebhook.webhook.id as string, secret: createWebhook.secret as string, publish };
  }

  it('standardwebhooks verifies a delivery with the webhook secret, and the seed receiver check passes', async () => {
    const t = await tenant();
    const id = await t.publish();
    const [req] = await t.rx.waitForRequests(1, 10_000);
    expect(req.headers['webhook-id']).toBe(id);
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new StandardWebhook(t.secret).verify(req.body, req.headers)).toMatchObject({ id, type: 'call.failed', data: { call_id: 'c1' } });
    expect(seedCheck(t.secret, req)).toBe(true);
  });

  it('a tampered body, a wrong secret, a re-stamped timestamp and a stale replay all fail verification', async () => {
    const t = await tenant();
    await t.publish();
    const [req] = await t.rx.waitForRequests(1, 10_000);
    const tampered = { ...req, body: req.body.replace('"busy"', '"booked_callback"') };
    expect(tampered.body).not.toBe(req.body);
    expect(verifies(t.secret, tampered)).toMatch(/No matching signature/);
    expect(seedCheck(t.secret, tampered)).toBe(false);

    const wrong = 'whsec_' + crypto.randomBytes(24).toString('base64');
    expect(verifies(wrong, req)).toMatch(/No matching signature/);
    expect(seedCheck(wrong, req)).toBe(false);

    // The timestamp is signed: changing it breaks the signature.
    const restamped = { ...req, headers: { ...req.headers, 'webhook-timestamp': String(Number(req.headers['webhook-timestamp']) - 1) } };
    expect(verifies(t.secret, restamped)).toMatch(/No matching signature/);

    // The genuine request, replayed 10 minutes later, is refused as stale.
    const later = Date.now() + 10 * 60_000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect(verifies(t.secret, req)).toMatch(/too old/);
    } finally {
      clock.mockRestore();
    }
    expect(verifies(t.secret, req)).toBe(true);
  });

  it('after rotateWebhookSecret a delivery carries two v1 signatures, and a verifier with only the old or only the new secret passes', async () => {
    const t = await tenant();
    const { rotateWebhookSecret } = await t.ok(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: t.webhookId });
    const fresh: string = rotateWebhookSecret.secret;
    expect(fresh).not.toBe(t.secret);
    await t.publish();
    const [req] = await t.rx.waitForRequests(1, 10_000);
    const signatures = req.headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    for (const s of signatures) expect(s).toMatch(/^v1,/);
    expect(verifies(t.secret, req)).toBe(true);
    expect(verifies(fresh, req)).toBe(true);
    // The simple scheme carries one signature: the current secret's.
    expect(seedCheck(fresh, req)).toBe(true);
  });

  it('every request carries the x-hookline headers, user-agent and custom headers; the attempt header counts up and webhook-id stays', async () => {
    const t = await tenant({ headers: { 'x-tenant': 'acme', authorization: 'Bearer receiver-token' } });
    t.rx.respond({ status: 500 });
    const id = await t.publish();
    const [r1, r2] = await t.rx.waitForRequests(2, 10_000);
    const delivery = await pollUntil(async () => (await t.ok(BY_EVENT, { e: id })).deliveries.edges[0]?.node, {
      until: (d) => d?.status === 'SUCCEEDED',
      what: 'the delivery to succeed',
    });
    expect(delivery.attemptCount).toBe(2);
    for (const [req, attempt] of [[r1, '1'], [r2, '2']] as const) {
      expect(req.method).toBe('POST');
      expect(req.headers).toMatchObject({
        'content-type': 'application/json',
        'x-hookline-event': 'call.failed',
        'x-hookline-delivery': delivery.id,
        'x-hookline-attempt': attempt,
        'webhook-id': id,
        'x-tenant': 'acme',
        authorization: 'Bearer receiver-token',
      });
      expect(req.headers['user-agent']).toMatch(/^Hookline\/\d+\.\d+\.\d+/);
      // Each attempt is signed afresh and verifies on its own.
      expect(verifies(t.secret, req)).toBe(true);
    }
    expect(r2.body).toBe(r1.body);
  });
});
