import { startHookline, TestHookline } from '../helpers/hookline';

describe.each(['mysql', 'sqlite'] as const)('Hookline on %s', (db) => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('answers me for a valid key and refuses a missing or wrong one', async () => {
    const me = await h.ok('{ me { account { id name } apiKey { prefix } } }');
    expect(me.me.account.id).toBe(h.accountId);
    const missing = await h.gql('{ me { account { id } } }', undefined, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.errors?.[0]).toMatchObject({ message: 'Missing Bearer Token', extensions: { code: 'UNAUTHENTICATED' } });
    const wrong = await h.gql('{ me { account { id } } }', undefined, { token: 'hk_live_notarealkeynotarealkey123' });
    expect(wrong.status).toBe(401);
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Invalid API key', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('creates, reads and soft-deletes a webhook', async () => {
    const created = await h.ok(
      `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id name eventsCount status timeoutSeconds maxRetries } } }`,
      { input: { name: 'CRM', url: 'http://127.0.0.1:9/hook', events: ['call.completed.booked_callback', 'call.failed'] } },
    );
    expect(created.createWebhook.secret).toMatch(/^whsec_/);
    expect(created.createWebhook.webhook).toMatchObject({ name: 'CRM', eventsCount: 2, status: 'ACTIVE', timeoutSeconds: 30, maxRetries: 4 });
    const id = created.createWebhook.webhook.id;
    await h.ok(`mutation($id: ID!) { deleteWebhook(id: $id) { deletedAt } }`, { id });
    const list = await h.ok(`{ webhooks { edges { node { id } } } }`);
    expect(list.webhooks.edges.map((e: any) => e.node.id)).not.toContain(id);
  });

  it('gives each account one stable signing secret for one-off targets', async () => {
    const a = await h.ok('{ accountSigningSecret }');
    const b = await h.ok('{ accountSigningSecret }');
    expect(a.accountSigningSecret).toMatch(/^whsec_/);
    expect(b.accountSigningSecret).toBe(a.accountSigningSecret);
    const other = await h.newAccount('other-secret');
    const c = await h.ok('{ accountSigningSecret }', undefined, other.apiKey);
    expect(c.accountSigningSecret).not.toBe(a.accountSigningSecret);
  });
});
