import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, killAllChildren, spawnHookline } from '../helpers/child';
import { postGraphQL } from '../helpers/graphql-client';
import { pollUntil } from '../helpers/poll';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

/** Runs `node dist/cli.js …` with only DATABASE_URL configured; resolves with its output and exit code. */
function cli(databaseUrl: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HOOKLINE_|DATABASE_URL$)/.test(k)));
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...env, DATABASE_URL: databaseUrl } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('a fresh machine', () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-first-'));
  });
  afterAll(async () => {
    await killAllChildren();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts on the embedded SQLite default with no database server, printing a working key once and the URLs', async () => {
    const child = await spawnHookline({}, { cwd: dir });
    expect(fs.existsSync(path.join(dir, 'data', 'hookline.sqlite'))).toBe(true);
    expect(child.output()).toMatch(/GraphiQL http:\/\/127\.0\.0\.1:\d+\/graphiql  Console http:\/\/127\.0\.0\.1:\d+\/console/);
    expect(child.printedApiKey).toMatch(/^hk_live_/);
    const me = await postGraphQL(child.url, '{ me { account { name } } }', undefined, { token: child.printedApiKey });
    expect(me.data?.me.account.name).toBe('default');
    await child.kill('SIGTERM');
    // A second start on the same file creates no second account and prints no key.
    const again = await spawnHookline({}, { cwd: dir });
    expect(again.printedApiKey).toBeUndefined();
    await again.kill('SIGTERM');
  });

  it('manages accounts and keys from the CLI, and a revoked key stops working on a running server', async () => {
    const db = path.join(dir, 'cli.sqlite');
    const created = await cli(db, 'accounts:create', '--name', 'Acme');
    expect(created.code).toBe(0);
    const firstKey = /(hk_live_\S+)/.exec(created.out)?.[1];
    expect(firstKey).toBeDefined();
    const second = await cli(db, 'keys:create', '--account', 'Acme', '--name', 'ci');
    const [, keyId] = /key (\S+) for account Acme/.exec(second.out) ?? [];
    const secondKey = /(hk_live_\S+)/.exec(second.out)?.[1];

    const server = await spawnHookline({ DATABASE_URL: db });
    const me = await postGraphQL(server.url, '{ me { account { name } apiKey { name } } }', undefined, { token: secondKey });
    expect(me.data?.me).toEqual({ account: { name: 'Acme' }, apiKey: { name: 'ci' } });

    expect((await cli(db, 'keys:revoke', '--account', 'Acme', '--id', keyId)).code).toBe(0);
    // The server has this key cached: a revocation made by another process bites within the 5 s window.
    const refused = await pollUntil(() => postGraphQL(server.url, '{ me { account { name } } }', undefined, { token: secondKey }), {
      until: (r) => r.status === 401,
      timeoutMs: 5_000,
      intervalMs: 100,
      what: 'the running server refusing the key revoked by the CLI',
    });
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.message).toBe('Invalid API key');
    expect((await postGraphQL(server.url, '{ me { account { name } } }', undefined, { token: firstKey })).data?.me.account.name).toBe('Acme');

    // An agent made with the CLI is the one the Talkover REST face scopes webhooks to.
    const agent = await cli(db, 'agents:create', '--account', 'Acme', '--id', '9fbef0b7-8d4e-4a08-9207-66c22155721d', '--name', 'Receptionist');
    expect(agent).toEqual({ code: 0, out: expect.stringMatching(/agent 9fbef0b7-8d4e-4a08-9207-66c22155721d \(Receptionist\)/) });
    expect((await postGraphQL(server.url, '{ agents { id name } }', undefined, { token: firstKey })).data?.agents).toEqual([
      { id: '9fbef0b7-8d4e-4a08-9207-66c22155721d', name: 'Receptionist' },
    ]);
    const badAgent = await cli(db, 'agents:create', '--account', 'Acme', '--id', 'has spaces');
    expect(badAgent.code).toBe(1);
    expect(badAgent.out).toMatch(/"id":\[/);

    const bad = await cli(db, 'keys:create', '--account', 'Nobody');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/no account Nobody/);
    await server.kill('SIGTERM');
  });
});
