import crypto from 'node:crypto';
import mysql from 'mysql2/promise';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { ensureBuilt, HooklineChild, killAllChildren, spawnHookline } from '../helpers/child';
import { postGraphQL } from '../helpers/graphql-client';

const CREATE_WEBHOOK = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }`;
const newSecret = () => `whsec_${crypto.randomBytes(32).toString('base64')}`;

/** Hookline as its own process on MariaDB, at debug level, every line it logs kept. */
describe('no secret value reaches a log line, whatever the path (MariaDB, real process)', () => {
  let db: TestDatabase;
  let child: HooklineChild;
  let logs = '';
  beforeAll(async () => {
    await ensureBuilt();
    db = await createTestDatabase('mysql');
    child = await spawnHookline({ DATABASE_URL: db.url, LOG_LEVEL: 'debug', HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' });
    for (const stream of [child.proc.stdout!, child.proc.stderr!]) stream.on('data', (d: Buffer) => (logs += d.toString('utf8')));
  }, 60_000);
  afterAll(async () => {
    await killAllChildren();
    await db?.drop();
  });

  it('after keys, webhooks, rotations and a failed database write carrying them, the logs hold none of their values', async () => {
    const key = child.printedApiKey!;
    const gql = (query: string, variables: Record<string, unknown>, idem?: string) =>
      postGraphQL(child.url, query, variables, { token: key, headers: idem ? { 'Idempotency-Key': idem } : {} });
    const seen: string[] = [];

    const created = await gql(`mutation { createApiKey(name: "ci") { token } }`, {}, 'idem-key-0001');
    seen.push(created.data.createApiKey.token);
    const [given, failing] = [newSecret(), newSecret()];
    const headerValue = `Basic ${crypto.randomBytes(12).toString('hex')}`;
    seen.push(given, failing, headerValue);
    const hook = await gql(CREATE_WEBHOOK, { i: { name: 'w', url: 'http://127.0.0.1:9/h', events: ['call.failed'], secret: given } }, 'idem-key-0002');
    expect(hook.errors).toBeUndefined();
    const rotated = await gql(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: hook.data.createWebhook.webhook.id }, 'idem-key-0003');
    seen.push(rotated.data.rotateWebhookSecret.secret);

    // A write that fails in the database with a secret, a header value and a stored response among its values.
    const admin = await mysql.createConnection(db.url);
    try {
      await admin.query('ALTER TABLE webhooks MODIFY headers VARCHAR(20) NULL');
    } finally {
      await admin.end();
    }
    const broken = await gql(CREATE_WEBHOOK, { i: { name: 'x', url: 'http://127.0.0.1:9/h', events: ['call.failed'], secret: failing, headers: { authorization: headerValue } } }, 'idem-key-0004');
    expect(broken.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    // A bad key too: the header it came in never shows.
    expect((await postGraphQL(child.url, '{ me { account { id } } }', {}, { token: `${key}x` })).status).toBe(401);

    await new Promise((r) => setTimeout(r, 200));
    expect(logs).toContain('unexpected error in a resolver');
    expect(logs).toMatch(/Data too long for column 'headers'/);
    for (const value of [...seen, key]) expect(logs).not.toContain(value);
    expect(logs).not.toContain('"parameters"');
  }, 60_000);
});
