import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; override with CHROMIUM_PATH. @default '/usr/bin/chromium' */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The apt run that installs chromium on a fresh machine writes 'done' as its last line here. */
const APT_LOG = '/tmp/apt.log';
/** How long to wait for chromium to finish installing, in ms. @default 600_000 */
export const CHROMIUM_INSTALL_DEADLINE_MS = 600_000;

/**
 * Launches headless Debian chromium with its background services off, so the only traffic it makes
 * is what a page asks for. Waits (up to {@link CHROMIUM_INSTALL_DEADLINE_MS}) for an apt install
 * still in progress; give the calling hook that long a timeout.
 */
export async function launchBrowser(): Promise<Browser> {
  await waitForChromium(Date.now() + CHROMIUM_INSTALL_DEADLINE_MS);
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

async function waitForChromium(deadline: number): Promise<void> {
  for (;;) {
    if (existsSync(CHROMIUM_PATH) && aptFinished()) return;
    if (Date.now() > deadline) {
      throw new Error(`chromium not ready at ${CHROMIUM_PATH} (is apt still installing? see ${APT_LOG})`);
    }
    // Nothing signals the end of an apt run but its log, so poll it.
    await delay(2_000);
  }
}

function aptFinished(): boolean {
  if (!existsSync(APT_LOG)) return true;
  return readFileSync(APT_LOG, 'utf8').trimEnd().endsWith('done');
}
