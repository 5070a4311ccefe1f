import crypto from 'node:crypto';
import { REDACTED } from '../../src/domain/idempotency.service';
import { startHookline, TestAccount, TestHookline } from '../helpers/hookline';

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id name createdAt } } }`;

const input = (name: string) => ({ name, url: 'http://127.0.0.1:9/hook', events: ['call.failed'] });
const freshKey = () => `idem_${crypto.randomBytes(8).toString('hex')}`;

describe('Idempotency-Key on mutations (mysql)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'mysql' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const countNamed = async (name: string, accountId = h.accountId) =>
    Number((await h.hookline.ds.query('SELECT COUNT(*) AS n FROM webhooks WHERE name = ? AND account_id = ?', [name, accountId]))[0].n);
  const withKey = (key: string, name: string, token?: string) => h.gql(CREATE, { input: input(name) }, { headers: { 'Idempotency-Key': key }, token });

  /** The raw response body, to compare a replay byte for byte. */
  async function rawCreate(key: string, name: string): Promise<{ status: number; replayed: string | null; body: string }> {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.apiKey}`, 'idempotency-key': key },
      body: JSON.stringify({ query: CREATE, variables: { input: input(name) } }),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.text() };
  }

  it('the same key and body replays the first response exactly (its secret redacted) and creates nothing more', async () => {
    const key = freshKey();
    const first = await rawCreate(key, 'replayed');
    expect(first.status).toBe(200);
    expect(first.replayed).toBeNull();
    const again = await rawCreate(key, 'replayed');
    // Without HOOKLINE_MASTER_KEY the stored copy keeps no secret (test/integration/idempotency-hardening.test.ts).
    const secret = JSON.parse(first.body).data.createWebhook.secret;
    expect(again).toEqual({ status: 200, replayed: 'true', body: first.body.replace(secret, REDACTED) });
    expect(JSON.parse(again.body).data.createWebhook.webhook.id).toBe(JSON.parse(first.body).data.createWebhook.webhook.id);
    expect(await countNamed('replayed')).toBe(1);
  });

  it('the same key with another body is refused with IDEMPOTENCY_KEY_REUSED (422) and creates nothing', async () => {
    const key = freshKey();
    expect((await withKey(key, 'original')).status).toBe(200);
    const reused = await withKey(key, 'different');
    expect(reused.status).toBe(422);
    expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.data).toBeUndefined();
    expect(await countNamed('different')).toBe(0);
    expect(await countNamed('original')).toBe(1);
  });

  it.each([
    ['7 characters', 'abc1234'],
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'has a space-in-it'],
    ['a dot', 'key.with.dots'],
    ['a dollar sign', 'price$key99'],
    ['a non-ASCII letter', 'clé-idempotence'],
  ])('a key of %s is refused as BAD_USER_INPUT on Idempotency-Key and creates nothing', async (_what, key) => {
    const r = await withKey(key, `badkey-${key.length}`);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(r.errors?.[0]?.extensions?.fieldErrors ?? {})).toEqual(['Idempotency-Key']);
    expect(await countNamed(`badkey-${key.length}`)).toBe(0);
  });

  it('keys of 8 and 255 characters from A-Z a-z 0-9 _ - are accepted', async () => {
    for (const key of ['Ab0_-xyz', `${'Z9_-'.repeat(63)}abc`]) {
      expect(key.length === 8 || key.length === 255).toBe(true);
      const r = await withKey(key, `goodkey-${key.length}`);
      expect(r.errors).toBeUndefined();
    }
  });

  it('20 concurrent requests with one key create exactly one webhook; the rest replay it or are told IN_USE', async () => {
    const key = freshKey();
    const responses = await Promise.all(Array.from({ length: 20 }, () => withKey(key, 'concurrent')));
    expect(await countNamed('concurrent')).toBe(1);
    const [row] = await h.hookline.ds.query('SELECT id FROM webhooks WHERE name = ?', ['concurrent']);
    let created = 0;
    for (const r of responses) {
      if (r.status === 200) {
        expect(r.data.createWebhook.webhook.id).toBe(row.id);
        if (r.headers.get('idempotent-replayed') !== 'true') created++;
      } else {
        expect(r.status).toBe(409);
        expect(r.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      }
    }
    expect(created).toBe(1);
  });

  it('the same key used by another account is independent', async () => {
    const other: TestAccount = await h.newAccount('idem-other');
    const key = freshKey();
    const mine = await withKey(key, 'shared-key');
    const theirs = await withKey(key, 'shared-key', other.apiKey);
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.data.createWebhook.webhook.id).not.toBe(mine.data.createWebhook.webhook.id);
    expect(await countNamed('shared-key', h.accountId)).toBe(1);
    expect(await countNamed('shared-key', other.accountId)).toBe(1);
    // A different body under the same key is fine for the other account too: keys are per account.
    expect((await withKey(freshKey(), 'x', other.apiKey)).status).toBe(200);
  });

  it('queries ignore the header, even a malformed one, and are never replayed', async () => {
    const key = freshKey();
    const q = (k: string) => h.gql('{ webhooks(first: 100) { edges { node { id } } } }', undefined, { headers: { 'Idempotency-Key': k } });
    const before = await q(key);
    expect(before.errors).toBeUndefined();
    await h.ok(CREATE, { input: input('after-query') });
    const after = await q(key);
    expect(after.headers.get('idempotent-replayed')).toBeNull();
    expect(after.data.webhooks.edges.length).toBe(before.data.webhooks.edges.length + 1);
    expect((await q('bad')).errors).toBeUndefined();
    const [{ n }] = await h.hookline.ds.query('SELECT COUNT(*) AS n FROM idempotency_records WHERE idem_key = ?', [key]);
    expect(Number(n)).toBe(0);
  });

  it('a request without the header is not deduplicated', async () => {
    await h.ok(CREATE, { input: input('no-key') });
    await h.ok(CREATE, { input: input('no-key') });
    expect(await countNamed('no-key')).toBe(2);
  });
});
