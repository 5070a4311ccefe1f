import { ensureBuilt, HooklineChild, killAllChildren, spawnHookline } from '../helpers/child';
import { createTestDatabase, MYSQL_SERVER_URL, TestDatabase } from '../helpers/db';
import { postGraphQL } from '../helpers/graphql-client';
import { waitFor } from '../helpers/child';
import { openRawSocket, RawGraphQLSocket } from '../helpers/raw-ws';
import { startTcpProxy, TcpProxy } from '../helpers/tcp-proxy';

/**
 * A database outage seen by clients: Hookline reaches MariaDB through a loopback proxy that the test
 * cuts (connections dropped, new ones refused), which the shared MariaDB never notices.
 */
describe('while the database cannot be reached', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let child: HooklineChild;
  let key: string;
  const sockets: RawGraphQLSocket[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    db = await createTestDatabase('mysql');
    proxy = await startTcpProxy(Number(new URL(MYSQL_SERVER_URL).port || 3306));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    child = await spawnHookline({ DATABASE_URL: viaProxy.toString(), HOOKLINE_ROLE: 'api' });
    key = child.printedApiKey!;
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.terminate();
    await killAllChildren();
    await proxy.close();
    await db.drop();
  });

  it('answers SERVICE_UNAVAILABLE with 503 and Retry-After at once, logs an outage, and recovers by itself', async () => {
    expect((await postGraphQL(child.url, '{ me { account { id } } }', undefined, { token: key })).status).toBe(200);
    const before = await openRawSocket(child.url, key);
    sockets.push(before);
    expect(before.closeCode).toBeUndefined();

    // A second key, never used through this process: its lookup needs the database.
    const { createApiKey } = (await postGraphQL<{ createApiKey: { token: string } }>(child.url, 'mutation { createApiKey(name: "unseen") { token } }', undefined, { token: key })).data!;

    await proxy.cut();
    // Whatever needs the database (a read, a publish, the lookup of a key not verified in the last 5 s).
    const needsDb: [string, string][] = [
      ['{ webhooks(first: 1) { edges { node { id } } } }', key],
      ['mutation { publishEvent(input: { type: "call.failed", payload: { call_id: "c1" } }) { id } }', key],
      ['{ me { account { id } } }', createApiKey.token],
    ];
    for (const [query, token] of needsDb) {
      const t0 = Date.now();
      const r = await postGraphQL(child.url, query, undefined, { token });
      expect(Date.now() - t0).toBeLessThan(1_000);
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(r.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    }
    expect((await fetch(`${child.url}/readyz`)).status).toBe(503);

    // A socket opened during the outage with a key that must be looked up is closed with 1013 Try Again Later (not 4403: the key is fine).
    const during = await openRawSocket(child.url, createApiKey.token);
    sockets.push(during);
    expect(await during.closed()).toBe(1013);
    // A socket opened before the outage: once its key is past the 5 s verification window, a new
    // subscription needs the database and is refused with the same code (earlier ones may start: live streams need no database).
    let refused: any;
    for (let i = 0; i < 20 && !refused; i++) {
      before.socket.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: 'subscription { eventPublished { id } }' } }));
      refused = await before.next('error', `s${i}`, 1_000).catch(() => undefined);
    }
    expect(refused?.payload[0].extensions.code).toBe('SERVICE_UNAVAILABLE');

    await proxy.restore();
    await waitFor('the API answering again', async () => (await postGraphQL(child.url, '{ me { account { id } } }', undefined, { token: key })).status === 200, { timeoutMs: 10_000 });
    expect((await fetch(`${child.url}/readyz`)).status).toBe(200);
    const after = await openRawSocket(child.url, key);
    sockets.push(after);
    expect(after.closeCode).toBeUndefined();

    expect(child.output()).toContain('database unavailable: answering SERVICE_UNAVAILABLE');
    expect(child.output()).not.toContain('unhandled');
    expect(child.output()).not.toContain('INTERNAL_SERVER_ERROR');
  });
});
