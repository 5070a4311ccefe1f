import { startHookline, TestHookline } from '../helpers/hookline';

const CREATE_KEY = 'mutation($name: String!) { createApiKey(name: $name) { token apiKey { id name prefix lastUsedAt revokedAt createdAt } } }';
const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';
const LIST = '{ apiKeys { id name prefix lastUsedAt revokedAt createdAt } }';
const ME = '{ me { account { id } apiKey { id name } } }';

describe('API keys (mysql)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'mysql' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('createApiKey returns an hk_live_ token that works at once, for the same account', async () => {
    const { createApiKey } = await h.ok(CREATE_KEY, { name: 'ci' });
    expect(createApiKey.token).toMatch(/^hk_live_[A-Za-z0-9_-]{20,}$/);
    expect(createApiKey.apiKey).toMatchObject({ name: 'ci', lastUsedAt: null, revokedAt: null });
    expect(createApiKey.token.startsWith(createApiKey.apiKey.prefix)).toBe(true);
    const { me } = await h.ok(ME, undefined, createApiKey.token);
    expect(me).toEqual({ account: { id: h.accountId }, apiKey: { id: createApiKey.apiKey.id, name: 'ci' } });
  });

  it('apiKeys lists the new key without its token, and the token is stored only as a hash', async () => {
    const { createApiKey } = await h.ok(CREATE_KEY, { name: 'listed' });
    const listed = await h.gql(LIST);
    const entry = listed.data.apiKeys.find((k: any) => k.id === createApiKey.apiKey.id);
    expect(entry).toMatchObject({ name: 'listed', prefix: createApiKey.apiKey.prefix, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(createApiKey.token);
    const rows = await h.hookline.ds.query('SELECT * FROM api_keys WHERE id = ?', [createApiKey.apiKey.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(createApiKey.token);
    const tokenField = await h.gql('{ apiKeys { token } }');
    expect(tokenField.status).toBe(400);
  });

  it('createApiKey refuses an empty or over-long name', async () => {
    for (const name of ['', 'k'.repeat(256)]) {
      const r = await h.gql(CREATE_KEY, { name });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { name: expect.any(Array) } });
    }
  });

  it('a revoked key answers 401 "Invalid API key" at once; revoking twice is harmless', async () => {
    const { createApiKey } = await h.ok(CREATE_KEY, { name: 'revoked' });
    expect((await h.gql(ME, undefined, { token: createApiKey.token })).status).toBe(200);
    const { revokeApiKey } = await h.ok(REVOKE, { id: createApiKey.apiKey.id });
    expect(revokeApiKey.revokedAt).not.toBeNull();
    const refused = await h.gql(ME, undefined, { token: createApiKey.token });
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]).toMatchObject({ message: 'Invalid API key', extensions: { code: 'UNAUTHENTICATED' } });
    expect(refused.data).toBeUndefined();
    const again = await h.ok(REVOKE, { id: createApiKey.apiKey.id });
    expect(again.revokeApiKey.revokedAt).toBe(revokeApiKey.revokedAt);
    const listed = (await h.ok(LIST)).apiKeys.find((k: any) => k.id === createApiKey.apiKey.id);
    expect(listed.revokedAt).toBe(revokeApiKey.revokedAt);
  });

  it('a key can revoke itself, and its very next request is refused', async () => {
    const { createApiKey } = await h.ok(CREATE_KEY, { name: 'self' });
    await h.ok(REVOKE, { id: createApiKey.apiKey.id }, createApiKey.token);
    expect((await h.gql(ME, undefined, { token: createApiKey.token })).status).toBe(401);
  });

  it('revoking an unknown id answers NOT_FOUND', async () => {
    const r = await h.gql(REVOKE, { id: '01900000-0000-7000-8000-000000000000' });
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lastUsedAt is set after the key is used', async () => {
    const { createApiKey } = await h.ok(CREATE_KEY, { name: 'used' });
    const before = Date.now();
    await h.ok(ME, undefined, createApiKey.token);
    const listed = (await h.ok(LIST)).apiKeys.find((k: any) => k.id === createApiKey.apiKey.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(listed.lastUsedAt)).toBeLessThanOrEqual(Date.now() + 1_000);
  });

  it('a token that differs from a real one only after its prefix is refused', async () => {
    const { createApiKey } = await h.ok(CREATE_KEY, { name: 'tamper' });
    const t = createApiKey.token as string;
    const tampered = t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
    const r = await h.gql(ME, undefined, { token: tampered });
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.message).toBe('Invalid API key');
  });
});
