import crypto from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startHookline, TestHookline } from '../helpers/hookline';
import { Receiver, startReceiver } from '../helpers/receiver';

describe('webhook secrets at rest', () => {
  let h: TestHookline;
  let rx: Receiver;
  beforeAll(async () => {
    h = await startHookline({ db: 'mysql', env: { HOOKLINE_MASTER_KEY: crypto.randomBytes(32).toString('base64') } });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await h?.stop();
    await rx?.close();
  });

  it('are stored encrypted with HOOKLINE_MASTER_KEY, yet shown to their owner and used to sign', async () => {
    const { createWebhook } = await h.ok(`mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }`, {
      i: { name: 'enc', url: rx.url, events: ['call.failed'] },
    });
    const [row] = await h.hookline.ds.query('SELECT secret_sealed FROM webhooks WHERE id = ?', [createWebhook.webhook.id]);
    expect(row.secret_sealed).toMatch(/^enc:v1:/);
    expect(row.secret_sealed).not.toContain(createWebhook.secret.slice('whsec_'.length));
    const shown = await h.ok(`query($id: ID!) { webhookSecret(id: $id) { secret } }`, { id: createWebhook.webhook.id });
    expect(shown.webhookSecret.secret).toBe(createWebhook.secret);
    await h.ok(`mutation { publishEvent(input: { type: "call.failed", payload: { call_id: "x" } }) { id } }`);
    const [req] = await rx.waitForRequests(1);
    expect(() => new StandardWebhook(createWebhook.secret).verify(req.body, req.headers)).not.toThrow();
  });
});
