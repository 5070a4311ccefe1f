import { startHookline, TestAccount, TestHookline } from '../helpers/hookline';

const FIELDS = 'id name url events filters timeoutSeconds maxRetries enabled status headers updatedAt deletedAt';
const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { ${FIELDS} } } }`;
const GET = `query($id: ID!) { webhook(id: $id) { ${FIELDS} } }`;
const SECRET = `query($id: ID!) { webhookSecret(id: $id) { secret previousSecret previousSecretExpiresAt } }`;
const LIST = `query($filter: WebhookFilter) { webhooks(first: 100, filter: $filter) { edges { node { id accountId } } } }`;

describe('accounts are isolated from each other (mysql)', () => {
  let h: TestHookline;
  let b: TestAccount;
  let aWebhook: Record<string, unknown> & { id: string };
  let aSecret: string;
  beforeAll(async () => {
    h = await startHookline({ db: 'mysql' });
    b = await h.newAccount('tenant-b');
    const input = { name: 'A only', url: 'http://127.0.0.1:9/a', events: ['call.failed'], filters: { campaign_id: 'camp_a' } };
    const { createWebhook } = await h.ok(CREATE, { input });
    aWebhook = createWebhook.webhook;
    aSecret = createWebhook.secret;
    const deleted = await h.ok(CREATE, { input: { ...input, name: 'A deleted' } });
    await h.ok('mutation($id: ID!) { deleteWebhook(id: $id) { id } }', { id: deleted.createWebhook.webhook.id });
    await h.ok(CREATE, { input: { ...input, name: 'B own' } }, b.apiKey);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Asserts that A's webhook and its secrets are exactly as A created them. */
  async function expectAUnchanged() {
    expect((await h.ok(GET, { id: aWebhook.id })).webhook).toEqual(aWebhook);
    expect((await h.ok(SECRET, { id: aWebhook.id })).webhookSecret).toEqual({ secret: aSecret, previousSecret: null, previousSecretExpiresAt: null });
  }

  const attempts: [string, string, (id: string) => Record<string, unknown>][] = [
    ['read it', GET, (id) => ({ id })],
    ['read its secret', SECRET, (id) => ({ id })],
    ['update it', 'mutation($id: ID!) { updateWebhook(id: $id, input: { name: "hijacked", url: "http://127.0.0.1:9/b" }) { id } }', (id) => ({ id })],
    ['pause it', 'mutation($id: ID!) { updateWebhook(id: $id, input: { enabled: false }) { id } }', (id) => ({ id })],
    ['delete it', 'mutation($id: ID!) { deleteWebhook(id: $id) { id } }', (id) => ({ id })],
    ['rotate its secret', 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }', (id) => ({ id })],
  ];

  it.each(attempts)("account B cannot %s: NOT_FOUND, and A's webhook is unchanged", async (_what, query, vars) => {
    const r = await h.gql(query, vars(aWebhook.id), { token: b.apiKey });
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(r.data ?? null).toBeNull();
    expect(JSON.stringify(r)).not.toContain(aSecret);
    await expectAUnchanged();
  });

  it("a foreign id and a missing id answer the same way, so B cannot probe A's ids", async () => {
    const foreign = await h.gql(GET, { id: aWebhook.id }, { token: b.apiKey });
    const missing = await h.gql(GET, { id: '01900000-0000-7000-8000-000000000000' }, { token: b.apiKey });
    const shape = (r: typeof foreign) => ({ status: r.status, code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message.replace(/[0-9a-f-]{36}/, '<id>') });
    expect(shape(foreign)).toEqual(shape(missing));
  });

  it("B's lists never contain A's webhooks, deleted or not, whatever the filter", async () => {
    for (const filter of [undefined, { includeDeleted: true }, { event: 'call.failed' }, { enabled: true }, { status: 'ACTIVE' }]) {
      const r = await h.gql(LIST, { filter }, { token: b.apiKey });
      expect({ filter, errors: r.errors }).toEqual({ filter, errors: undefined });
      const nodes = r.data?.webhooks.edges.map((e: any) => e.node) ?? [];
      expect(nodes.length).toBeGreaterThan(0);
      for (const n of nodes) expect(n.accountId).toBe(b.accountId);
    }
  });

  it("B's apiKeys list holds only B's keys", async () => {
    const { apiKeys } = await h.ok('{ apiKeys { id } }', undefined, b.apiKey);
    const { me } = await h.ok('{ me { apiKey { id } } }', undefined, b.apiKey);
    expect(apiKeys.map((k: any) => k.id)).toEqual([me.apiKey.id]);
  });

  it("B cannot revoke A's API key, and A's key keeps working", async () => {
    const { me } = await h.ok('{ me { apiKey { id } } }');
    const r = await h.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }', { id: me.apiKey.id }, { token: b.apiKey });
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const { apiKeys } = await h.ok('{ apiKeys { id revokedAt } }');
    expect(apiKeys.find((k: any) => k.id === me.apiKey.id)).toMatchObject({ revokedAt: null });
    expect((await h.gql('{ me { account { id } } }')).status).toBe(200);
  });

  it("B's campaigns are B's even under the same producer id as A's", async () => {
    const UPSERT = 'mutation($input: UpsertCampaignInput!) { upsertCampaign(input: $input) { id name conversionOutcomes } }';
    await h.ok(UPSERT, { input: { id: 'camp_shared', name: 'A campaign', conversionOutcomes: ['sale'] } });
    await h.ok(UPSERT, { input: { id: 'camp_shared', name: 'B campaign', conversionOutcomes: ['booked_callback'] } }, b.apiKey);
    expect((await h.ok('{ campaigns { id name conversionOutcomes } }')).campaigns).toEqual([
      { id: 'camp_shared', name: 'A campaign', conversionOutcomes: ['sale'] },
    ]);
    expect((await h.ok('{ campaigns { id name conversionOutcomes } }', undefined, b.apiKey)).campaigns).toEqual([
      { id: 'camp_shared', name: 'B campaign', conversionOutcomes: ['booked_callback'] },
    ]);
  });
});
