import { WebhookEntity } from '../../src/db/entities/webhook.entity';
import { startHookline, TestAccount, TestHookline } from '../helpers/hookline';

const FIELDS = `id accountId name url events eventsCount filters timeoutSeconds maxRetries enabled status disabledReason
  headers createdByApiKeyId createdAt updatedAt deletedAt`;
const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { ${FIELDS} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { ${FIELDS} } }`;
const GET = `query($id: ID!) { webhook(id: $id) { ${FIELDS} } }`;
const SECRET = `query($id: ID!) { webhookSecret(id: $id) { secret previousSecret previousSecretExpiresAt } }`;
const DELETE = `mutation($id: ID!) { deleteWebhook(id: $id) { id deletedAt } }`;
const ROTATE = `mutation($id: ID!, $secret: String) { rotateWebhookSecret(id: $id, secret: $secret) { secret webhook { id updatedAt } } }`;
const LIST = `query($first: Int, $after: String, $filter: WebhookFilter) {
  webhooks(first: $first, after: $after, filter: $filter) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } }
}`;

const valid = (over: Record<string, unknown> = {}) => ({ name: 'CRM', url: 'http://127.0.0.1:9/hook', events: ['call.completed'], ...over });
const given = 'whsec_' + Buffer.alloc(32, 3).toString('base64');

/** Resolves once the wall clock has moved past `iso`, so a later write gets a strictly later timestamp. */
async function clockPast(iso: string, deadlineMs = 1_000) {
  const until = Date.parse(iso);
  const deadline = Date.now() + deadlineMs;
  while (Date.now() <= until) {
    if (Date.now() > deadline) throw new Error(`clock did not pass ${iso}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe.each(['mysql', 'sqlite'] as const)('webhook CRUD on %s', (db) => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const create = async (over: Record<string, unknown> = {}, token?: string) => (await h.ok(CREATE, { input: valid(over) }, token)).createWebhook;

  it('createWebhook returns the webhook with a generated whsec_ secret, stamped with the calling key', async () => {
    const { secret, webhook } = await create({ events: ['call.completed.booked_callback', 'call.failed', 'call.failed'] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    const { me } = await h.ok('{ me { apiKey { id } } }');
    expect(webhook).toMatchObject({
      accountId: h.accountId,
      name: 'CRM',
      events: ['call.completed.booked_callback', 'call.failed'],
      eventsCount: 2,
      enabled: true,
      status: 'ACTIVE',
      createdByApiKeyId: me.apiKey.id,
      deletedAt: null,
    });
    expect((await h.ok(GET, { id: webhook.id })).webhook).toEqual(webhook);
    expect((await h.ok(SECRET, { id: webhook.id })).webhookSecret).toEqual({ secret, previousSecret: null, previousSecretExpiresAt: null });
  });

  it('createWebhook keeps a given secret, and two generated secrets differ', async () => {
    const a = await create({ secret: given });
    expect(a.secret).toBe(given);
    expect((await h.ok(SECRET, { id: a.webhook.id })).webhookSecret.secret).toBe(given);
    expect((await create()).secret).not.toBe((await create()).secret);
  });

  it('createWebhook with enabled false starts PAUSED', async () => {
    expect((await create({ enabled: false })).webhook).toMatchObject({ enabled: false, status: 'PAUSED' });
  });

  it('updateWebhook changes only the given fields and bumps updatedAt', async () => {
    const { webhook } = await create({ filters: { campaign_id: 'camp_1' }, headers: { 'X-Team': 'sales' }, timeoutSeconds: 10 });
    await clockPast(webhook.updatedAt);
    const { updateWebhook } = await h.ok(UPDATE, { id: webhook.id, input: { name: 'Renamed', maxRetries: 7 } });
    expect(updateWebhook).toEqual({ ...webhook, name: 'Renamed', maxRetries: 7, updatedAt: updateWebhook.updatedAt });
    expect(Date.parse(updateWebhook.updatedAt)).toBeGreaterThan(Date.parse(webhook.updatedAt));
    expect(updateWebhook.createdAt).toBe(webhook.createdAt);
    expect((await h.ok(GET, { id: webhook.id })).webhook).toEqual(updateWebhook);
  });

  it('updateWebhook with filters null clears them, and events replace the old list', async () => {
    const { webhook } = await create({ filters: { campaign_id: 'camp_1' } });
    const { updateWebhook } = await h.ok(UPDATE, { id: webhook.id, input: { filters: null, events: ['sms.received'] } });
    expect(updateWebhook).toMatchObject({ filters: null, events: ['sms.received'], eventsCount: 1, name: webhook.name });
  });

  it('updateWebhook enabled false pauses and enabled true re-activates', async () => {
    const { webhook } = await create();
    expect((await h.ok(UPDATE, { id: webhook.id, input: { enabled: false } })).updateWebhook).toMatchObject({ enabled: false, status: 'PAUSED' });
    expect((await h.ok(UPDATE, { id: webhook.id, input: { enabled: true } })).updateWebhook).toMatchObject({ enabled: true, status: 'ACTIVE' });
  });

  // The engine auto-disables on a long failing streak; a user re-enabling must start a fresh streak,
  // or the very next failure would disable the webhook again at once.
  it('updateWebhook enabled true re-activates an AUTO_DISABLED webhook and forgets its failing streak', async () => {
    const { webhook } = await create();
    const repo = h.hookline.ds.getRepository(WebhookEntity);
    const failingSince = new Date(Date.now() - 6 * 24 * 3600_000);
    await repo.update({ id: webhook.id }, { status: 'AUTO_DISABLED', disabledReason: 'failing', consecutiveFailures: 50, failingSince });
    const { updateWebhook } = await h.ok(UPDATE, { id: webhook.id, input: { enabled: true } });
    expect(updateWebhook).toMatchObject({ enabled: true, status: 'ACTIVE', disabledReason: null });
    const row = await repo.findOneByOrFail({ id: webhook.id });
    expect({ failures: row.consecutiveFailures, failingSince: row.failingSince }).toEqual({ failures: 0, failingSince: null });
  });

  it('deleteWebhook soft-deletes: hidden from lists unless includeDeleted, still readable by id', async () => {
    const { webhook } = await create({ name: 'doomed' });
    const { deleteWebhook } = await h.ok(DELETE, { id: webhook.id });
    expect(deleteWebhook.deletedAt).not.toBeNull();
    expect(Math.abs(Date.parse(deleteWebhook.deletedAt) - Date.now())).toBeLessThan(60_000);
    const ids = async (filter?: object) => (await h.ok(LIST, { first: 100, filter })).webhooks.edges.map((e: any) => e.node.id);
    expect(await ids()).not.toContain(webhook.id);
    expect(await ids({ includeDeleted: true })).toContain(webhook.id);
    expect((await h.ok(GET, { id: webhook.id })).webhook).toMatchObject({ id: webhook.id, deletedAt: deleteWebhook.deletedAt });
  });

  it('a deleted webhook can no longer be updated, rotated, deleted again or have its secret read', async () => {
    const { webhook } = await create();
    await h.ok(DELETE, { id: webhook.id });
    for (const [query, vars] of [
      [UPDATE, { id: webhook.id, input: { name: 'x' } }],
      [ROTATE, { id: webhook.id }],
      [DELETE, { id: webhook.id }],
      [SECRET, { id: webhook.id }],
    ] as const) {
      expect((await h.gql(query, vars)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect((await h.ok(GET, { id: webhook.id })).webhook).toMatchObject({ name: 'CRM' });
  });

  it('rotateWebhookSecret issues a new secret and keeps the old one signing for 24 h', async () => {
    const { webhook, secret: old } = await create();
    const { rotateWebhookSecret } = await h.ok(ROTATE, { id: webhook.id });
    expect(rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotateWebhookSecret.secret).not.toBe(old);
    const { webhookSecret } = await h.ok(SECRET, { id: webhook.id });
    expect(webhookSecret).toMatchObject({ secret: rotateWebhookSecret.secret, previousSecret: old });
    expect(Math.abs(Date.parse(webhookSecret.previousSecretExpiresAt) - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);
  });

  it('rotateWebhookSecret keeps a given secret and refuses a malformed one without rotating', async () => {
    const { webhook, secret: old } = await create();
    expect((await h.ok(ROTATE, { id: webhook.id, secret: given })).rotateWebhookSecret.secret).toBe(given);
    const bad = await h.gql(ROTATE, { id: webhook.id, secret: 'whsec_not*base64' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { secret: expect.any(Array) } });
    expect((await h.ok(SECRET, { id: webhook.id })).webhookSecret).toMatchObject({ secret: given, previousSecret: old });
  });

  describe('pagination and filters', () => {
    let acct: TestAccount;
    let created: string[];
    beforeAll(async () => {
      acct = await h.newAccount(`pager-${db}`);
      created = [];
      for (let i = 0; i < 45; i++) {
        const events = i % 3 === 0 ? ['call.failed'] : i % 3 === 1 ? ['call.completed.booked_callback'] : ['call.completed', 'sms.sent'];
        created.push((await create({ name: `w${i}`, events, enabled: i % 5 !== 0 }, acct.apiKey)).webhook.id);
      }
    });

    const page = (vars: Record<string, unknown>) => h.gql(LIST, vars, { token: acct.apiKey });
    async function walk(first: number, filter?: object): Promise<string[]> {
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 100; pages++) {
        const r = await page({ first, after, filter });
        expect(r.errors).toBeUndefined();
        const { edges, pageInfo } = r.data.webhooks;
        seen.push(...edges.map((e: any) => e.node.id));
        if (edges.length) expect(pageInfo.endCursor).toBe(edges.at(-1).cursor);
        if (!pageInfo.hasNextPage) return seen;
        after = pageInfo.endCursor;
      }
      throw new Error('pagination did not end');
    }

    it('pages of 10 visit all 45 webhooks once each, oldest first, and end with hasNextPage false', async () => {
      const seen = await walk(10);
      expect(seen).toEqual(created);
      expect(new Set(seen).size).toBe(45);
      const last = await page({ first: 10, after: (await page({ first: 40 })).data.webhooks.pageInfo.endCursor });
      expect(last.data.webhooks.edges).toHaveLength(5);
      expect(last.data.webhooks.pageInfo.hasNextPage).toBe(false);
      expect(await walk(7)).toEqual(seen);
    });

    it('filters by enabled, status and exact event name', async () => {
      const disabled = created.filter((_, i) => i % 5 === 0);
      expect(await walk(10, { enabled: false })).toEqual(disabled);
      expect(await walk(10, { status: 'PAUSED' })).toEqual(disabled);
      expect(await walk(10, { enabled: true, status: 'ACTIVE' })).toEqual(created.filter((_, i) => i % 5 !== 0));
      expect(await walk(10, { event: 'call.failed' })).toEqual(created.filter((_, i) => i % 3 === 0));
      expect(await walk(10, { event: 'call.completed' })).toEqual(created.filter((_, i) => i % 3 === 2));
      expect(await walk(10, { event: 'call.completed.booked_callback' })).toEqual(created.filter((_, i) => i % 3 === 1));
      expect(await walk(10, { event: 'call.%' })).toEqual([]);
    });

    it.each([0, 101, -1])('first: %i is refused as BAD_USER_INPUT on first', async (first) => {
      const r = await page({ first });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { first: expect.any(Array) } });
    });

    it('a garbage cursor is refused as BAD_USER_INPUT on after', async () => {
      for (const after of ['garbage!!', Buffer.from('not-an-id').toString('base64url')]) {
        const r = await page({ first: 10, after });
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { after: expect.any(Array) } });
      }
    });
  });
});
