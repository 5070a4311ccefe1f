import 'reflect-metadata';
import { loadConfig } from '../../src/config';
import { bootstrap, Hookline } from '../../src/main';
import type { LookupAll } from '../../src/net/address-policy';
import { createTestDatabase, DbKind, TestDatabase } from './db';
import { gqlOk, GqlResponse, postGraphQL } from './graphql-client';

export interface TestAccount {
  accountId: string;
  apiKey: string;
}

export interface TestHookline extends TestAccount {
  /** http://127.0.0.1:port */
  url: string;
  hookline: Hookline;
  db: TestDatabase;
  /** POST an operation as the default test account (or `opts.token`). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: { token?: string | null; headers?: Record<string, string> }): Promise<GqlResponse<T>>;
  /** Like gql but throws on errors and returns data. */
  ok<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  /** A second (third…) account with its own API key, for tenancy tests. */
  newAccount(name: string): Promise<TestAccount>;
  stop(): Promise<void>;
}

/**
 * Starts Hookline in this process on a fresh database (MariaDB by default, or embedded SQLite) on
 * 127.0.0.1 with a free port, with one account and API key. Private targets are allowed so that the
 * loopback test receiver can be a webhook target.
 */
export async function startHookline(opts: { db?: DbKind; env?: Record<string, string>; /** DNS answers for the SSRF guard */ lookupAll?: LookupAll } = {}): Promise<TestHookline> {
  const db = await createTestDatabase(opts.db ?? 'mysql');
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
    HOOKLINE_RETRY_SCHEDULE: '1s,2s',
    ...opts.env,
  });
  const hookline = await bootstrap(config, { print: () => undefined, lookupAll: opts.lookupAll });
  const newAccount = async (name: string): Promise<TestAccount> => {
    const account = await hookline.services.accounts.create(name);
    const { token } = await hookline.services.apiKeys.create(account.id, 'test');
    return { accountId: account.id, apiKey: token };
  };
  const main = await newAccount('test');
  const url = hookline.url ?? '';
  return {
    ...main,
    url,
    hookline,
    db,
    gql: (query, variables, o = {}) => postGraphQL(url, query, variables, { token: o.token === undefined ? main.apiKey : o.token, headers: o.headers }),
    ok: (query, variables, token) => gqlOk(url, token ?? main.apiKey, query, variables),
    newAccount,
    async stop() {
      await hookline.stop();
      await db.drop();
    },
  };
}
