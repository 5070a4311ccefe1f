import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; override with CHROMIUM_PATH. @default '/usr/bin/chromium' */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Time for a `beforeAll` that launches the browser beside a server on a busy machine, in ms. */
export const BROWSER_HOOK_TIMEOUT_MS = 60_000;

/**
 * Launches headless Debian chromium (installed by .ci/run before the tests) with its background
 * services off, so the only traffic it makes is what a page asks for.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Backstop under the route guard below: nothing but loopback can even be resolved.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]',
    ],
  });
}

/** A page whose requests to any non-loopback host are aborted and recorded. */
export interface LoopbackPage {
  page: Page;
  context: BrowserContext;
  /** URLs (HTTP and WebSocket) the page tried to reach outside loopback; aborted. */
  blockedRequests: string[];
  /** Uncaught page exceptions and console errors (CSP violations land here). */
  errors: string[];
  /** Closes the context; throws if the page ever tried to leave loopback. */
  close(): Promise<void>;
}

/** Opens a fresh context and page that may only talk to loopback hosts. */
export async function openLoopbackPage(browser: Browser): Promise<LoopbackPage> {
  const context = await browser.newContext();
  const blockedRequests: string[] = [];
  const errors: string[] = [];

  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLoopbackUrl(url)) return route.continue();
    blockedRequests.push(url);
    await route.abort('blockedbyclient');
  });
  await context.routeWebSocket(/.*/, (ws) => {
    if (isLoopbackUrl(ws.url())) return void ws.connectToServer();
    blockedRequests.push(ws.url());
    void ws.close({ code: 1008, reason: 'non-loopback host blocked by test' });
  });

  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });

  return {
    page,
    context,
    blockedRequests,
    errors,
    async close() {
      await context.close();
      if (blockedRequests.length > 0) {
        throw new Error(`page tried to reach non-loopback hosts: ${blockedRequests.join(', ')}`);
      }
    },
  };
}

/** True for URLs that stay on this machine: loopback hosts and schemes with no network. */
export function isLoopbackUrl(url: string): boolean {
  const parsed = new URL(url);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return true;
  const host = parsed.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
