import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { contentSecurityPolicy, escapeHtml, immutableAssets } from './graphiql';

/** Where `npm run build` puts the console bundle (console/build.mjs): dist/console under the project root. */
export const CONSOLE_DIST = resolve(__dirname, '..', '..', 'dist', 'console');

interface Manifest {
  script: string;
  style: string;
}

/** Only the bundle's own hashed files are served from the folder. */
const HASHED_ASSET = /^\/console\.[A-Z0-9]+\.(js|css)$/;

/**
 * Express router for the operator console: its page at `/` and its hashed bundle under `/assets/`
 * (cached for a year: a new build has new names). Mount it at `/console`. The page talks to the
 * public GraphQL API only. Before the bundle is built, the page says how to build it.
 */
export function consoleRouter(opts: { dir?: string } = {}): Router {
  const dir = opts.dir ?? CONSOLE_DIST;
  let manifest: Manifest | undefined;
  // Read once found; until then on each visit, so a build after start is picked up.
  const currentManifest = (): Manifest | undefined => {
    const path = join(dir, 'manifest.json');
    if (!manifest && existsSync(path)) manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return manifest;
  };

  const router = express.Router();
  router.get('/', (req: Request, res: Response) => {
    res.set({
      'Content-Security-Policy': contentSecurityPolicy(req),
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    const m = currentManifest();
    if (!m) return res.status(503).type('text').send('The console is not built yet: run `npm run build`.\n');
    res.type('html').send(pageHtml(`${req.baseUrl}/assets`, m));
  });
  router.use('/assets', (req, res, next) => (HASHED_ASSET.test(req.path) ? next() : res.sendStatus(404)));
  router.use(
    '/assets',
    immutableAssets(dir),
  );
  return router;
}

function pageHtml(assets: string, m: Manifest): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hookline console</title>
<link rel="stylesheet" href="${escapeHtml(`${assets}/${m.style}`)}">
<script type="module" src="${escapeHtml(`${assets}/${m.script}`)}"></script>
</head>
<body>
<div id="console"><noscript>The Hookline console needs JavaScript.</noscript></div>
</body>
</html>
`;
}
