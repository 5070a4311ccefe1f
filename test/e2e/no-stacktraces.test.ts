import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, HooklineChild, killAllChildren, spawnHookline } from '../helpers/child';
import { sqliteModule } from '../../src/db/data-source';

/** Signs of internals in a response body: Apollo's stack traces, and paths of the server's files. */
const INTERNALS = /stacktrace|\/(?:src|dist|node_modules)\/|\.(?:ts|js):\d+/;

async function post(url: string, body: string, token?: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

describe('Hookline started as the README says (no NODE_ENV, no HOOKLINE_DEBUG_ERRORS)', () => {
  let dir: string;
  let child: HooklineChild;
  let key: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-nostack-'));
    child = await spawnHookline({}, { cwd: dir });
    key = child.printedApiKey!;
    expect(key).toMatch(/^hk_live_/);
  });
  afterAll(async () => {
    await killAllChildren();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('returns validation errors without a stack trace or file path', async () => {
    const r = await post(child.url, JSON.stringify({ query: '{ nope }' }), key);
    expect(r.text).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(r.text).not.toMatch(INTERNALS);
    const syntax = await post(child.url, JSON.stringify({ query: '{ me {' }), key);
    expect(syntax.text).toContain('GRAPHQL_PARSE_FAILED');
    expect(syntax.text).not.toMatch(INTERNALS);
  });

  it('refuses batched operations without a stack trace', async () => {
    const r = await post(child.url, JSON.stringify([{ query: '{ me { account { id } } }' }, { query: '{ me { account { id } } }' }]), key);
    expect(r.status).toBe(400);
    expect(r.text).toContain('Operation batching disabled');
    expect(r.text).not.toMatch(INTERNALS);
  });

  it('answers malformed JSON without internals', async () => {
    const r = await post(child.url, '{"query": ', key);
    expect(r.status).toBe(400);
    expect(r.text).not.toMatch(INTERNALS);
  });

  it('hides an internal error behind INTERNAL_SERVER_ERROR with no stack trace', async () => {
    // A real internal failure: the campaigns table vanishes under the running server.
    // The driver this Node loads (13, or the Node 20 alias of 12), as Hookline picks it.
    const Database = sqliteModule() as typeof BetterSqlite3;
    const db = new Database(path.join(dir, 'data', 'hookline.sqlite'));
    db.exec('DROP TABLE campaigns');
    db.close();
    const r = await post(child.url, JSON.stringify({ query: '{ campaigns { id } }' }), key);
    expect(r.text).toContain('INTERNAL_SERVER_ERROR');
    expect(r.text).not.toMatch(INTERNALS);
    expect(r.text).not.toContain('no such table');
  });

  it('shows stack traces only when HOOKLINE_DEBUG_ERRORS=true (so the checks above can fail)', async () => {
    const debug = await spawnHookline({ HOOKLINE_DEBUG_ERRORS: 'true' }, { cwd: dir });
    const r = await post(debug.url, JSON.stringify({ query: '{ nope }' }), key);
    expect(r.text).toContain('stacktrace');
    await debug.kill('SIGTERM');
  });
});
