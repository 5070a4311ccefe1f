import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';

/** Options for {@link graphiqlRouter}. */
export interface GraphiqlOptions {
  /** Path (or absolute URL) of the GraphQL endpoint, used for HTTP and for graphql-ws. */
  endpoint: string;
}

/** Cache lifetime of versioned assets: their URL changes whenever their content can. @default 1 year */
export const ASSET_MAX_AGE_MS = 365 * 24 * 3_600_000;

interface PackageAssets {
  version: string;
  dir: string;
}

/**
 * Express router serving a self-hosted GraphiQL page at `/` and its assets under `/assets/…`; mount
 * it at `/graphiql`. Every asset comes from the installed npm packages, so the page works with no
 * internet. Queries and mutations go over HTTP POST; subscriptions over graphql-ws on the same
 * endpoint, with the headers editor's `Authorization` sent as `connectionParams.authorization`.
 */
export function graphiqlRouter(opts: GraphiqlOptions): Router {
  const graphiql = packageAssets('graphiql');
  const react = packageAssets('react');
  const reactDom = packageAssets('react-dom');
  const graphqlWs = packageAssets('graphql-ws');
  const bootstrap = bootstrapScript(`./graphql-ws/${graphqlWs.version}/client.js`);
  const bootstrapFile = `hookline-graphiql.${createHash('sha256').update(bootstrap).digest('hex').slice(0, 16)}.js`;

  const files = new Map<string, string>([
    [`graphiql/${graphiql.version}/graphiql.min.css`, join(graphiql.dir, 'graphiql.min.css')],
    [`graphiql/${graphiql.version}/graphiql.min.js`, join(graphiql.dir, 'graphiql.min.js')],
    [`react/${react.version}/react.production.min.js`, join(react.dir, 'umd/react.production.min.js')],
    [
      `react-dom/${reactDom.version}/react-dom.production.min.js`,
      join(reactDom.dir, 'umd/react-dom.production.min.js'),
    ],
  ]);
  for (const path of files.values()) {
    if (!existsSync(path)) throw new Error(`GraphiQL asset missing from node_modules: ${path}`);
  }

  const router = express.Router();

  router.get('/', (req: Request, res: Response) => {
    const assets = `${req.baseUrl}/assets`;
    res
      .set({
        'Content-Security-Policy': contentSecurityPolicy(req),
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Opener-Policy': 'same-origin',
      })
      .type('html')
      .send(
        pageHtml({
          endpoint: opts.endpoint,
          css: `${assets}/graphiql/${graphiql.version}/graphiql.min.css`,
          scripts: [
            `${assets}/react/${react.version}/react.production.min.js`,
            `${assets}/react-dom/${reactDom.version}/react-dom.production.min.js`,
            `${assets}/graphiql/${graphiql.version}/graphiql.min.js`,
          ],
          module: `${assets}/${bootstrapFile}`,
        }),
      );
  });

  router.get(`/assets/${bootstrapFile}`, (_req, res) => {
    res.set(immutableHeaders()).type('text/javascript').send(bootstrap);
  });

  router.get('/assets/:pkg/:version/:file', (req, res, next) => {
    const path = files.get(`${req.params.pkg}/${req.params.version}/${req.params.file}`);
    if (!path) return next();
    res.sendFile(path, { maxAge: ASSET_MAX_AGE_MS, immutable: true, headers: { 'X-Content-Type-Options': 'nosniff' } });
  });

  // graphql-ws's browser client is an ES module importing hashed sibling chunks; serving its
  // top-level .js files lets those imports resolve without pinning chunk names that change per release.
  router.use(`/assets/graphql-ws/${graphqlWs.version}`, (req, res, next) => {
    if (!/^\/[\w.-]+\.js$/.test(req.path)) return res.sendStatus(404);
    next();
  });
  router.use(
    `/assets/graphql-ws/${graphqlWs.version}`,
    immutableAssets(join(graphqlWs.dir, 'dist')),
  );

  return router;
}

function packageAssets(name: string): PackageAssets {
  const manifestPath = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string };
  return { version, dir: dirname(manifestPath) };
}

/** Serves the files of `dir` as versioned assets: cached for a year, immutable, no index, 404 for anything else. */
export function immutableAssets(dir: string) {
  return express.static(dir, {
    index: false,
    maxAge: ASSET_MAX_AGE_MS,
    immutable: true,
    fallthrough: false,
    setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
  });
}

/** The headers of a versioned asset sent by hand (sendFile, inline bundles). */
export function immutableHeaders(): Record<string, string> {
  return {
    'Cache-Control': `public, max-age=${ASSET_MAX_AGE_MS / 1_000}, immutable`,
    'X-Content-Type-Options': 'nosniff',
  };
}

/**
 * Scripts and styles only from this origin (React and CodeMirror set styles through the CSSOM, which
 * CSP does not police); fonts and icons are data: URLs inside graphiql.min.css.
 */
export function contentSecurityPolicy(req: Request): string {
  const host = req.get('host') ?? '';
  // Chrome and Firefox read 'self' as covering ws(s) to the same host; Safari does not, so name it.
  const sockets = /^[\w.-]+(:\d{1,5})?$|^\[[\da-fA-F:.]+\](:\d{1,5})?$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function pageHtml(page: { endpoint: string; css: string; scripts: string[]; module: string }): string {
  const scripts = page.scripts.map((src) => `<script defer src="${escapeHtml(src)}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hookline GraphiQL</title>
<link rel="stylesheet" href="${escapeHtml(page.css)}">
${scripts}
<script type="module" src="${escapeHtml(page.module)}"></script>
</head>
<body>
<div id="graphiql" data-endpoint="${escapeHtml(page.endpoint)}">Loading GraphiQL…</div>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's only script of our own, served as a file so the CSP needs no inline script. */
function bootstrapScript(graphqlWsClientPath: string): string {
  return `import { createClient } from ${JSON.stringify(graphqlWsClientPath)};

const root = document.getElementById('graphiql');
// Sized here rather than in a <style> element so the CSP can keep style-src to 'self'.
document.body.style.margin = '0';
root.style.height = '100vh';
const endpoint = new URL(root.dataset.endpoint, location.href);
const socketUrl = new URL(endpoint);
socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

// graphql-ws sends connectionParams once per socket, so each distinct Authorization value gets
// its own lazy client; the previous one is disposed when the user changes the key.
let current;
function fetcherFor(authorization) {
  if (current && current.authorization === authorization) return current.fetcher;
  if (current) current.client.dispose();
  const client = createClient({
    url: socketUrl.href,
    connectionParams: authorization === undefined ? {} : { authorization },
    // 4403 is the server refusing the key: retrying with the same key cannot succeed.
    shouldRetry: (e) => typeof e === 'object' && e !== null && 'code' in e && e.code !== 4403,
  });
  current = { authorization, client, fetcher: GraphiQL.createFetcher({ url: endpoint.href, wsClient: client }) };
  return current.fetcher;
}

function authorizationOf(headers) {
  for (const [name, value] of Object.entries(headers || {})) {
    if (name.toLowerCase() === 'authorization') return String(value);
  }
  return undefined;
}

// GraphiQL re-parses the query editor 100 ms after each edit; a run inside that window carries the
// previous document and operation name (a pasted subscription would go over HTTP), so both are
// derived again from the query text actually being sent.
function withFreshDocument(params, opts) {
  let documentAST;
  try {
    documentAST = GraphiQL.GraphQL.parse(params.query);
  } catch {
    return [params, opts];
  }
  const names = documentAST.definitions
    .filter((d) => d.kind === 'OperationDefinition')
    .map((d) => (d.name ? d.name.value : undefined));
  const operationName =
    names.length === 1 && !names.includes(params.operationName) ? names[0] : params.operationName;
  return [{ ...params, operationName }, { ...opts, documentAST }];
}

const fetcher = (rawParams, rawOpts) => {
  const [params, opts] = withFreshDocument(rawParams, rawOpts);
  return fetcherFor(authorizationOf(opts && opts.headers))(params, opts);
};

const defaultQuery = \`# Welcome to Hookline's GraphiQL.
#
# 1. Paste your API key into Headers below:
#    {"Authorization": "Bearer hk_live_…"}
# 2. Run with Ctrl-Enter. Subscriptions
#    stream over WebSocket, same endpoint.

query EventTypes {
  eventTypes {
    name
    description
  }
}
\`;

function authorizationOfText(text) {
  try {
    return authorizationOf(JSON.parse(text || '{}'));
  } catch {
    return null; // half-typed JSON: keep what was there
  }
}

// Hookline answers introspection only with a key, and GraphiQL introspects only when its fetcher
// changes; a new fetcher identity once the Authorization header settles loads the schema.
function HooklineGraphiQL() {
  const [currentFetcher, setFetcher] = React.useState(() => fetcher);
  const settling = React.useRef({ authorization: undefined, timer: undefined });
  const onEditHeaders = React.useCallback((text) => {
    const s = settling.current;
    const authorization = authorizationOfText(text);
    clearTimeout(s.timer);
    if (authorization === null || authorization === s.authorization) return;
    s.timer = setTimeout(() => {
      s.authorization = authorization;
      setFetcher(() => (params, opts) => fetcher(params, opts));
    }, 500);
  }, []);
  return React.createElement(GraphiQL, {
    fetcher: currentFetcher,
    onEditHeaders,
    defaultQuery,
    defaultEditorToolsVisibility: 'headers',
  });
}

ReactDOM.createRoot(root).render(React.createElement(HooklineGraphiQL));
`;
}
