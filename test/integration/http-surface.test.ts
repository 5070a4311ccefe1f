import http from 'node:http';
import { startHookline, TestHookline } from '../helpers/hookline';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with exactly the headers given (fetch would add or forbid some, e.g. Origin). */
function request(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${path} timed out`)));
    req.end(opts.body);
  });
}

const ALLOWED_ORIGIN = 'https://app.example.com';
const CREATE = 'mutation { createWebhook(input: { name: "csrf", url: "http://127.0.0.1:9/x", events: ["call.failed"] }) { webhook { id } } }';

describe('HTTP surface (mysql)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'mysql', env: { HOOKLINE_CORS_ORIGINS: ALLOWED_ORIGIN } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const preflight = (origin: string) =>
    request(h.url, '/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization,idempotency-key' },
    });
  const csrfRows = async () => Number((await h.hookline.ds.query("SELECT COUNT(*) AS n FROM webhooks WHERE name = 'csrf'"))[0].n);

  it('/healthz answers 200 without a key', async () => {
    const r = await request(h.url, '/healthz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 while the database answers', async () => {
    const r = await request(h.url, '/readyz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ready' });
  });

  it('GET /graphql from a browser returns a landing page with no external resources', async () => {
    const r = await request(h.url, '/graphql', { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toMatch(/<html/i);
    expect(r.body).toContain('/graphiql');
    expect(r.body).not.toMatch(/https?:\/\//i);
    expect(r.body).not.toMatch(/(?:src|href)\s*=\s*["']?\/\//i);
  });

  it('a CORS preflight from an allowed origin is answered with that origin and our headers', async () => {
    const r = await preflight(ALLOWED_ORIGIN);
    expect(r.status).toBeLessThan(300);
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    const allowed = String(r.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'idempotency-key']));
  });

  it('a CORS preflight from another origin gets no allow-origin header', async () => {
    for (const origin of ['https://evil.example.net', 'https://app.example.com.evil.example.net', 'http://app.example.com']) {
      const r = await preflight(origin);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('a real request from the allowed origin can read the response and the idempotent-replayed header', async () => {
    const r = await request(h.url, '/graphql', {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json', authorization: `Bearer ${h.apiKey}` },
      body: JSON.stringify({ query: '{ me { account { id } } }' }),
    });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(String(r.headers['access-control-expose-headers']).toLowerCase()).toContain('idempotent-replayed');
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content-type', {}],
  ])('a POST with %s and no apollo-require-preflight is blocked as CSRF (400) and runs nothing', async (_what, headers) => {
    const r = await request(h.url, '/graphql', {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${h.apiKey}` },
      body: JSON.stringify({ query: CREATE }),
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/Cross-Site Request Forgery/i);
    expect(await csrfRows()).toBe(0);
  });

  it('a GET query without a preflight header is blocked as CSRF, and passes with apollo-require-preflight', async () => {
    const path = `/graphql?query=${encodeURIComponent('{ me { account { id } } }')}`;
    const blocked = await request(h.url, path, { headers: { authorization: `Bearer ${h.apiKey}` } });
    expect(blocked.status).toBe(400);
    expect(blocked.body).toMatch(/Cross-Site Request Forgery/i);
    const allowed = await request(h.url, path, { headers: { authorization: `Bearer ${h.apiKey}`, 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body).data.me.account.id).toBe(h.accountId);
    // An answer that depends on the key must never sit in a browser's or a proxy's cache.
    expect(allowed.headers['cache-control']).toBe('no-store');
  });

  it('serves every kind of request without re-prototyping its request and response objects', async () => {
    // Express sets the prototype of both objects on every request unless they are born with it; V8 then
    // promoted some 10 KB of every request to the old generation (a full GC every ~2 s under load).
    const setPrototypeOf = Object.setPrototypeOf;
    const reprototyped: string[] = [];
    Object.setPrototypeOf = (o: object, proto: object | null) => {
      if ((o instanceof http.IncomingMessage || o instanceof http.ServerResponse) && Object.getPrototypeOf(o) !== proto) reprototyped.push(o.constructor.name);
      return setPrototypeOf(o, proto);
    };
    try {
      const auth = { authorization: `Bearer ${h.apiKey}` };
      const graphql = await request(h.url, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query: '{ me { account { id } } }' }) });
      // Express's own helpers still work on them: res.json, req.get (auth), res.status, res.type.
      expect(JSON.parse(graphql.body).data.me.account.id).toBe(h.accountId);
      expect(JSON.parse((await request(h.url, '/healthz')).body)).toEqual({ status: 'ok' });
      expect(JSON.parse((await request(h.url, '/openapi.json')).body).openapi).toMatch(/^3\./);
      const refused = await request(h.url, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { account { id } } }' }) });
      expect(refused.status).toBe(401);
      expect((await request(h.url, '/no-such-page')).status).toBe(404);
    } finally {
      Object.setPrototypeOf = setPrototypeOf;
    }
    expect(reprototyped).toEqual([]);
  });

  it('malformed JSON is a 400 with a GraphQL-shaped error, not a 500', async () => {
    const r = await request(h.url, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.apiKey}` },
      body: '{"query": ',
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('HTTP surface with no CORS origins configured (sqlite)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'sqlite' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('no origin is allowed cross-site by default', async () => {
    const r = await request(h.url, '/graphql', {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});
