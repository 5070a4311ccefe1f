import { EventEmitter, on, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Browser, Page } from 'playwright-core';
import { graphiqlRouter } from '../../src/http/graphiql';
import { offlineLandingPagePlugin } from '../../src/http/landing-page';
import { BROWSER_HOOK_TIMEOUT_MS, launchBrowser, openLoopbackPage, type LoopbackPage } from '../helpers/browser';
import { startHookline, type TestHookline } from '../helpers/hookline';

const API_KEY = 'hk_live_graphiql_test_key';
/** How long the browser gets to show something, in ms. @default 10_000 */
const UI_DEADLINE_MS = 10_000;

/**
 * A stand-in for Hookline's API with the same transport shape: HTTP POST and graphql-ws on one
 * `/graphql` path, Bearer auth on HTTP, `connectionParams.authorization` on the socket. `ticks`
 * emits only when the test says so, so every streamed value can be awaited without timing guesses.
 */
async function startStandIn(): Promise<{ url: string; ticks: EventEmitter; stop(): Promise<void> }> {
  const ticks = new EventEmitter();
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        hello: {
          type: new GraphQLNonNull(GraphQLString),
          resolve: (_root, _args, ctx: { authorization?: string }) => {
            if (!ctx.authorization) throw new GraphQLError('Missing Bearer Token', { extensions: { code: 'UNAUTHENTICATED' } });
            if (ctx.authorization !== `Bearer ${API_KEY}`) throw new GraphQLError('Invalid API key', { extensions: { code: 'UNAUTHENTICATED' } });
            return 'hello from the stand-in';
          },
        },
      },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticks: {
          type: new GraphQLNonNull(GraphQLInt),
          subscribe: async function* () {
            const stream = on(ticks, 'tick');
            ticks.emit('subscribed');
            for await (const [n] of stream) yield { ticks: n };
          },
        },
      },
    }),
  });

  const app = express();
  const httpServer: Server = createServer(app);
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsServer = useServer(
    { schema, onConnect: (ctx) => ctx.connectionParams?.authorization === `Bearer ${API_KEY}` },
    wss,
  );
  const apollo = new ApolloServer<{ authorization?: string }>({
    schema,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), offlineLandingPagePlugin()],
  });
  await apollo.start();
  app.use('/graphiql', graphiqlRouter({ endpoint: '/graphql' }));
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, { context: async ({ req }) => ({ authorization: req.headers.authorization }) }),
  );
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ticks,
    async stop() {
      await wsServer.dispose();
      await apollo.stop();
    },
  };
}

let browser: Browser;
let server: Awaited<ReturnType<typeof startStandIn>>;
let guarded: LoopbackPage;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startStandIn()]);
}, BROWSER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  guarded = await openLoopbackPage(browser);
});

afterEach(async () => {
  await guarded.close();
});

async function openGraphiql(page: Page): Promise<void> {
  await page.goto(`${server.url}/graphiql`);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: UI_DEADLINE_MS });
}

/** Replaces an editor's content the way a user pastes into it. */
async function pasteInto(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(`${editor} .CodeMirror`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

async function runAndWaitForResult(page: Page, expected: string): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
  await waitForResult(page, expected);
}

async function waitForResult(page: Page, expected: string): Promise<void> {
  await page.waitForFunction(
    (text) => document.querySelector('.result-window')?.textContent?.includes(text) ?? false,
    expected,
    { timeout: UI_DEADLINE_MS, polling: 'raf' },
  );
}

function headersEditor(): string {
  return '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
}

describe('self-hosted GraphiQL', () => {
  test('renders styled from its own assets with no request leaving loopback and no CSP violation', async () => {
    const { page, blockedRequests, errors } = guarded;
    await openGraphiql(page);

    expect(blockedRequests).toEqual([]);
    expect(errors).toEqual([]);
    // The stylesheet applied: GraphiQL lays its container out as a flex row.
    const display = await page.locator('.graphiql-container').evaluate((el) => getComputedStyle(el).display);
    expect(display).toBe('flex');
    await page.screenshot({ path: '/tmp/graphiql.png' });
  });

  test('serves the page with a strict CSP and its versioned assets as immutable', async () => {
    const page = await fetch(`${server.url}/graphiql`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);

    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/graphiql\/assets\//);
      const response = await fetch(`${server.url}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    }
  });

  test('runs a query with the API key typed into the headers editor', async () => {
    const { page } = guarded;
    await openGraphiql(page);

    await page.locator(`${headersEditor()} .CodeMirror`).click();
    await page.keyboard.type(`{"Authorization": "Bearer ${API_KEY}"}`);
    await expect(page.locator(headersEditor()).textContent()).resolves.toContain(
      `{"Authorization": "Bearer ${API_KEY}"}`,
    );
    await pasteInto(page, '.graphiql-query-editor', '{ hello }');
    await runAndWaitForResult(page, '"hello": "hello from the stand-in"');
  });

  test('a query without the key shows the server refusing it', async () => {
    const { page } = guarded;
    await openGraphiql(page);

    await pasteInto(page, '.graphiql-query-editor', '{ hello }');
    await runAndWaitForResult(page, 'Missing Bearer Token');
  });

  test('streams each subscription value over graphql-ws with the key as connectionParams.authorization', async () => {
    const { page, blockedRequests } = guarded;
    await openGraphiql(page);

    await pasteInto(page, headersEditor(), `{"Authorization": "Bearer ${API_KEY}"}`);
    await pasteInto(page, '.graphiql-query-editor', 'subscription { ticks }');
    const subscribed = once(server.ticks, 'subscribed');
    await page.locator('.graphiql-execute-button').click();
    await subscribed;
    for (const n of [1, 2, 3]) {
      server.ticks.emit('tick', n);
      await waitForResult(page, `"ticks": ${n}`);
    }
    expect(blockedRequests).toEqual([]);
  });

  test('a subscription with a wrong key is refused once, without retrying, and the refusal is shown', async () => {
    const { page } = guarded;
    await openGraphiql(page);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));

    await pasteInto(page, headersEditor(), '{"Authorization": "Bearer hk_live_wrong"}');
    await pasteInto(page, '.graphiql-query-editor', 'subscription { ticks }');
    await runAndWaitForResult(page, '4403 Forbidden');
    expect(sockets).toEqual([`${server.url.replace('http', 'ws')}/graphql`]);
  });
});

describe('GraphiQL on Hookline itself', () => {
  let hookline: TestHookline;
  beforeAll(async () => {
    hookline = await startHookline({ db: 'sqlite' });
  });
  afterAll(async () => {
    await hookline?.stop();
  });

  test('loads the schema once the key is pasted, then runs a query and a mutation as that account', async () => {
    const { page, blockedRequests } = guarded;
    await page.goto(`${hookline.url}/graphiql`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: UI_DEADLINE_MS });
    const introspected = page.waitForResponse(
      (r) => r.url() === `${hookline.url}/graphql` && r.status() === 200 && /IntrospectionQuery/.test(r.request().postData() ?? ''),
      { timeout: UI_DEADLINE_MS },
    );

    await pasteInto(page, headersEditor(), `{"Authorization": "Bearer ${hookline.apiKey}"}`);
    await introspected;
    await pasteInto(page, '.graphiql-query-editor', '{ me { account { id } } }');
    await runAndWaitForResult(page, `"id": "${hookline.accountId}"`);
    await pasteInto(page, '.graphiql-query-editor', 'mutation { createApiKey(name: "from GraphiQL") { token } }');
    await runAndWaitForResult(page, '"token": "hk_live_');
    expect(blockedRequests).toEqual([]);
  });
});

describe('/graphql in a browser', () => {
  test('answers Accept: text/html with a self-contained landing page linking to GraphiQL', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('href="/graphiql"');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  test('opens with no request leaving loopback, and its link leads to a working GraphiQL', async () => {
    const { page, blockedRequests, errors } = guarded;
    await page.goto(`${server.url}/graphql`);
    await page.getByRole('link', { name: 'Open GraphiQL' }).click();
    await page.locator('.graphiql-execute-button').waitFor({ timeout: UI_DEADLINE_MS });

    expect(page.url()).toBe(`${server.url}/graphiql`);
    expect(blockedRequests).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('the loopback guard', () => {
  test('aborts and records a request to a non-loopback host', async () => {
    const { page, blockedRequests } = guarded;
    // .invalid never resolves, and the browser's resolver rules map every other name to nothing.
    await page.setContent('<img src="https://cdn.example.invalid/pixel.png">');

    expect(blockedRequests).toEqual(['https://cdn.example.invalid/pixel.png']);
    blockedRequests.length = 0; // recorded as intended; keep afterEach's check for real leaks
  });
});
