import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import mysql from 'mysql2/promise';
import { sparePort } from '../helpers/private-services';
import { isDatabaseUnavailable } from '../../src/db/errors';
import { ErrorCode, RetryLaterError } from '../../src/domain/errors';
import { formatError, retryLaterStatusPlugin } from '../../src/graphql/errors';

/** A real driver error: mysql2 connecting to a loopback port nobody listens on. */
async function refusedConnectionError(): Promise<unknown> {
  const port = await sparePort();
  return mysql.createConnection({ host: '127.0.0.1', port, user: 'root' }).then(
    () => {
      throw new Error(`something answered on port ${port}`);
    },
    (e: unknown) => e,
  );
}

describe('errors that mean "retry later" in a resolver', () => {
  let driverError: unknown;
  const logged: { bug: unknown[]; outage: unknown[] } = { bug: [], outage: [] };
  let thrown: unknown;
  let apollo: ApolloServer;
  beforeAll(async () => {
    driverError = await refusedConnectionError();
    apollo = new ApolloServer({
      schema: buildSchema('type Query { x: Int }'),
      rootValue: {
        x: () => {
          throw thrown;
        },
      },
      formatError: formatError(
        (e) => logged.bug.push(e),
        (e) => logged.outage.push(e),
      ),
      plugins: [retryLaterStatusPlugin()],
    });
    await apollo.start();
  });
  afterAll(() => apollo.stop());

  it('classifies a refused database connection as an outage and a syntax error as not', () => {
    expect(isDatabaseUnavailable(driverError)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('You have an error in your SQL syntax'), { code: 'ER_PARSE_ERROR', errno: 1064 }))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it('answers a database outage with SERVICE_UNAVAILABLE, HTTP 503 and Retry-After, logged as an outage', async () => {
    thrown = driverError;
    const r = await apollo.executeOperation({ query: '{ x }' });
    expect(r.http.status).toBe(503);
    expect(r.http.headers.get('retry-after')).toBe('5');
    expect(r.body.kind === 'single' && r.body.singleResult.errors?.[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(logged.outage).toHaveLength(1);
    expect(logged.bug).toHaveLength(0);
  });

  it('answers a per-key limit with RATE_LIMITED, HTTP 429 and its Retry-After', async () => {
    thrown = new RetryLaterError(ErrorCode.RATE_LIMITED, 'Too many', 3);
    const r = await apollo.executeOperation({ query: '{ x }' });
    expect(r.http.status).toBe(429);
    expect(r.http.headers.get('retry-after')).toBe('3');
  });

  it('still hides a bug behind INTERNAL_SERVER_ERROR', async () => {
    thrown = new TypeError('oops');
    const r = await apollo.executeOperation({ query: '{ x }' });
    expect(r.body.kind === 'single' && r.body.singleResult.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(r.http.status).toBeUndefined();
    expect(logged.bug).toHaveLength(1);
  });
});
