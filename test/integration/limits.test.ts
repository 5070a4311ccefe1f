import { getIntrospectionQuery } from 'graphql';
import { TEXT_CACHE_SIZE } from '../../src/graphql/text-cache';
import { startHookline, TestHookline } from '../helpers/hookline';

/** Operation limits on HTTP (the WebSocket side is proven in test/e2e/subscriptions.test.ts). */
describe('query limits over HTTP', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'sqlite' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses an operation nested deeper than 12 levels with GRAPHQL_VALIDATION_FAILED and runs one at 12', async () => {
    // Each `webhook { … }` of a Delivery adds two levels: delivery → webhook → deliveries → edges → node → …
    const deep = (n: number): string => (n <= 1 ? 'id' : `event { deliveries(first: 1) { ${deep(n - 2)} } }`);
    const ok = await h.gql(`query($id: ID!) { delivery(id: $id) { ${deep(11)} } }`, { id: '01a20000-0000-7000-8000-000000000000' });
    expect(ok.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const tooDeep = await h.gql(`query($id: ID!) { delivery(id: $id) { ${deep(13)} } }`, { id: '01a20000-0000-7000-8000-000000000000' });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(tooDeep.errors?.[0]?.message).toMatch(/nested 14 levels deep; the limit is 12/);
  });

  it('lets the full introspection query through without a key, however deep its ofType nesting', async () => {
    const r = await h.gql(getIntrospectionQuery(), undefined, { token: null });
    expect(r.status).toBe(200);
    expect(r.data?.__schema?.queryType?.name).toBe('Query');
  });

  it('refuses an operation whose page sizes multiply past the cost limit, and runs a modest one', async () => {
    const big = await h.gql(`{ webhooks(first: 100) { edges { node { deliveries(first: 100) { edges { node { attempts { id } } } } } } } }`);
    expect(big.status).toBe(400);
    expect(big.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(big.errors?.[0]?.message).toMatch(/the limit is 20000/);
    const small = await h.gql(`{ webhooks(first: 10) { edges { node { deliveries(first: 10) { edges { node { attempts { id } } } } } } } }`);
    expect(small.errors).toBeUndefined();
  });

  it('keeps refusing a refused document sent again (verdicts are kept by query text), and serves the same accepted text each time', async () => {
    const deep = (n: number): string => (n <= 1 ? 'id' : `event { deliveries(first: 1) { ${deep(n - 2)} } }`);
    const refused = `query($id: ID!) { delivery(id: $id) { ${deep(13)} } }`;
    for (let i = 0; i < 3; i++) {
      const r = await h.gql(refused, { id: '01a20000-0000-7000-8000-000000000000' });
      expect(r.status).toBe(400);
      expect(r.errors?.[0]?.message).toMatch(/nested 14 levels deep; the limit is 12/);
    }
    // More distinct texts than the cache holds: the first is measured again, and still refused.
    for (let i = 0; i < TEXT_CACHE_SIZE + 5; i++) await h.gql(`{ __typename a${i}: __typename }`, undefined, { token: null });
    expect((await h.gql(refused, { id: '01a20000-0000-7000-8000-000000000000' })).status).toBe(400);
    for (let i = 0; i < 2; i++) expect((await h.gql('{ me { account { id } } }')).errors).toBeUndefined();
  });
});

