import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_DIST } from '../../src/http/console';
import { BROWSER_HOOK_TIMEOUT_MS, launchBrowser, openLoopbackPage, type LoopbackPage } from '../helpers/browser';
import { startHookline, type TestHookline } from '../helpers/hookline';
import { startReceiver, type Receiver } from '../helpers/receiver';

/** How long the browser gets to show something, in ms. @default 15_000 */
const UI_DEADLINE_MS = 15_000;
/** Screenshots of each main page, shown in the README. */
const SHOTS = join(__dirname, '..', '..', 'docs', 'console');
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;

let h: TestHookline;
let rx: Receiver;
let browser: Browser;
let guarded: LoopbackPage;
let page: Page;
let webhookId: string;

beforeAll(async () => {
  // `npm test` builds first; a lone `npx jest` run builds the bundle here (esbuild: about a second).
  if (!existsSync(join(CONSOLE_DIST, 'manifest.json'))) execFileSync(process.execPath, [join(__dirname, '..', '..', 'console', 'build.mjs')], { stdio: 'ignore' });
  mkdirSync(SHOTS, { recursive: true });
  [browser, h, rx] = await Promise.all([
    launchBrowser(),
    startHookline({ env: { HOOKLINE_POLL_INTERVAL_MS: '100', HOOKLINE_RETRY_SCHEDULE: '30s' } }),
    startReceiver(),
  ]);
  guarded = await openLoopbackPage(browser);
  page = guarded.page;
  await page.setViewportSize({ width: 1280, height: 800 });
}, BROWSER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await guarded?.close();
  await browser?.close();
  await h?.stop();
  await rx?.close();
});

/** Serious or critical axe-core findings on the page as it is now (axe is evaluated in the page, CSP does not apply to it). */
async function axeViolations(): Promise<string[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Saves the screenshot and checks the page for accessibility problems. */
async function shootAndCheck(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  expect(await axeViolations()).toEqual([]);
}

async function signIn(token: string): Promise<void> {
  const input = page.getByLabel('API key');
  await input.fill(token);
  await input.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: UI_DEADLINE_MS });
}

/** Console errors other than the browser's own line for an expected 401. */
const unexpectedErrors = () => guarded.errors.filter((e) => !/status of 401/.test(e));

describe('operator console', () => {
  test('serves the page and its hashed bundle from Hookline with a strict CSP and long-lived assets', async () => {
    const res = await fetch(`${h.url}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const script = /src="([^"]+console\.[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${h.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${h.url}/console/assets/manifest.json`)).status).toBe(404);
  });

  test('signs in by keyboard with an API key kept out of the URL; a wrong key is refused', async () => {
    await page.goto(`${h.url}/console`);
    await shootAndCheck('sign-in');
    const input = page.getByLabel('API key');
    await input.fill('hk_live_not_a_real_key');
    await input.press('Enter');
    await page.getByText('That key was not accepted').waitFor({ timeout: UI_DEADLINE_MS });
    await signIn(h.apiKey);
    expect(page.url()).not.toContain(h.apiKey);
    expect(await page.evaluate(() => sessionStorage.getItem('hookline.apiKey'))).toBe(h.apiKey);
  });

  test('shows the server field error next to an invalid URL and creates a webhook to a loopback receiver', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('link', { name: 'New webhook' }).click();
    await page.getByLabel('Name').fill('Receiver');
    await page.getByLabel('URL').fill('not a url');
    await page.getByRole('checkbox', { name: 'call.failed' }).check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const urlError = page.locator('.field.has-error').filter({ has: page.getByLabel('URL') }).locator('.field-error');
    await urlError.waitFor({ timeout: UI_DEADLINE_MS });
    expect(await urlError.textContent()).toMatch(/url|URL/);
    await expect(page.getByLabel('URL').getAttribute('aria-describedby')).resolves.toContain(await urlError.getAttribute('id'));

    await page.getByLabel('URL').fill(`${rx.url}/hook`);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('Webhook created').waitFor({ timeout: UI_DEADLINE_MS });
    expect(await page.locator('code.secret').textContent()).toMatch(/^whsec_/);
    await page.getByRole('link', { name: 'Open the webhook' }).click();
    await page.getByRole('heading', { name: /Receiver/ }).waitFor({ timeout: UI_DEADLINE_MS });
    webhookId = /#\/webhooks\/([\w-]+)/.exec(page.url())![1];
  });

  test('a published event appears in the live feed without a reload; its delivery page shows the attempt', async () => {
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByText('No deliveries yet.').waitFor({ timeout: UI_DEADLINE_MS });
    // The feed subscribes over graphql-ws; give it a moment to be registered before publishing.
    await page.waitForTimeout(500);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    rx.respond({ status: 200, body: '{"ok":true}', delayMs: 300 });
    const { publishEvent } = await h.ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'c1', reason: 'busy' } } });
    const row = page.locator('tr[data-delivery-id]').filter({ hasText: 'succeeded' });
    await row.waitFor({ timeout: UI_DEADLINE_MS });
    expect(await row.textContent()).toContain('call.failed');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await shootAndCheck('deliveries');

    await row.getByRole('link').click();
    const first = page.locator('tr[data-attempt="1"]');
    await first.waitFor({ timeout: UI_DEADLINE_MS });
    expect(await first.textContent()).toContain('200');
    expect(await page.locator('pre.json').textContent()).toContain('"call_id": "c1"');
    expect(await page.locator('pre.json').textContent()).not.toContain(publishEvent.id === '' ? 'x' : 'undefined');
  });

  test('after the receiver starts failing, Redeliver shows the new failed attempt', async () => {
    rx.setFallback({ status: 500, body: 'receiver down' });
    await page.getByRole('button', { name: 'Redeliver' }).click();
    const second = page.locator('tr[data-attempt="2"]');
    await second.waitFor({ timeout: UI_DEADLINE_MS });
    const text = await second.textContent();
    expect(text).toContain('manual');
    expect(text).toContain('500');
    expect(text).toContain('receiver down');
    await shootAndCheck('delivery');
  });

  test('the webhook page charts the last 24 h and lists the webhook with its health', async () => {
    await page.goto(`${h.url}/console#/webhooks/${webhookId}`);
    // The summary read by screen readers carries the same counts as the bars.
    await page.locator('figure.chart [role="img"][aria-label*="1 attempts succeeded and 1 failed"]').waitFor({ timeout: UI_DEADLINE_MS });
    expect(await page.locator('figure.chart canvas').count()).toBe(2);
    await shootAndCheck('webhook');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    // One delivery in the last 24 h, retrying after its failed redelivery: no settled success rate yet, a p95 from its two attempts.
    const listed = page.getByRole('row').filter({ hasText: 'Receiver' }).filter({ hasText: / ms$/ });
    await listed.waitFor({ timeout: UI_DEADLINE_MS });
    expect(await listed.locator('td').allTextContents()).toEqual([expect.stringContaining('Receiver'), 'active', 'call.failed', '1', '—', expect.stringMatching(/^\d+ ms$/)]);
    await shootAndCheck('webhooks');
  });

  test('the webhook page pauses and enables, reveals the secret, and sends a test event showing its attempt', async () => {
    await page.goto(`${h.url}/console#/webhooks/${webhookId}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('heading', { name: /Receiver/ }).filter({ hasText: 'paused' }).waitFor({ timeout: UI_DEADLINE_MS });
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('heading', { name: /Receiver/ }).filter({ hasText: 'active' }).waitFor({ timeout: UI_DEADLINE_MS });
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    await page.getByText(/Signing secret: whsec_/).waitFor({ timeout: UI_DEADLINE_MS });
    rx.respond({ status: 204 });
    await page.getByRole('button', { name: 'Send test event' }).click();
    const attempt = page.getByRole('table', { name: "The test event's attempt" }).locator('tr[data-attempt]');
    await attempt.waitFor({ timeout: UI_DEADLINE_MS });
    expect(await attempt.textContent()).toMatch(/test.*204/);
    const request = rx.requests.at(-1)!;
    expect(JSON.parse(request.body)).toMatchObject({ type: 'webhook.test' });
  });

  test('the filter dry-run explains which condition a recent event failed', async () => {
    await page.goto(`${h.url}/console#/webhooks/${webhookId}/edit`);
    await page.getByLabel('Filters (JSON)').fill('{"reason": "no-answer"}');
    await page.getByRole('button', { name: 'Run dry-run' }).click();
    await page.getByText('filter "reason": wanted "no-answer", got "busy"').waitFor({ timeout: UI_DEADLINE_MS });
    // The test event sent earlier is an event of the account too: it fails on its type.
    expect(await page.locator('.previews .nomatch .reason').allTextContents()).toEqual([
      'type "webhook.test" is not among the subscribed events',
      'filter "reason": wanted "no-answer", got "busy"',
    ]);
    await shootAndCheck('webhook-edit');
  });

  test('events, the catalog and API keys are browsable and accessible', async () => {
    await page.getByRole('link', { name: 'Events' }).click();
    await page.locator('ol.events summary').filter({ hasText: 'call.failed' }).waitFor({ timeout: UI_DEADLINE_MS });
    await shootAndCheck('events');
    await page.getByRole('link', { name: 'Event catalog' }).click();
    await page.getByRole('heading', { name: 'call.completed' }).waitFor({ timeout: UI_DEADLINE_MS });
    await shootAndCheck('catalog');
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('New key name').fill('second');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('shown only this once').waitFor({ timeout: UI_DEADLINE_MS });
    expect(await page.locator('.secret code').textContent()).toMatch(/^hk_live_/);
    await shootAndCheck('api-keys');
  });

  test('stays readable on a narrow window: nothing but tables scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    for (const route of ['webhooks', `webhooks/${webhookId}`, 'deliveries']) {
      await page.goto(`${h.url}/console#/${route}`);
      await page.locator('main h1').waitFor({ timeout: UI_DEADLINE_MS });
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
    await page.goto(`${h.url}/console#/webhooks/${webhookId}`);
    await page.locator('figure.chart canvas').first().waitFor({ timeout: UI_DEADLINE_MS });
    await page.screenshot({ path: join(SHOTS, 'webhook-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('a revoked key returns to sign-in with a clear message; signing out forgets the key', async () => {
    const { createApiKey } = await h.ok(`mutation { createApiKey(name: "doomed") { token apiKey { id } } }`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out.').waitFor({ timeout: UI_DEADLINE_MS });
    expect(await page.evaluate(() => sessionStorage.getItem('hookline.apiKey'))).toBeNull();
    await signIn(createApiKey.token);
    await h.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    // Hookline closes the revoked key's socket on its own (4403), or the next query is refused (401): either way, back to sign-in.
    await page.evaluate(() => (location.hash = '#/catalog'));
    await page.getByText('Your API key was revoked or is no longer valid').waitFor({ timeout: UI_DEADLINE_MS });
    expect(await page.evaluate(() => sessionStorage.getItem('hookline.apiKey'))).toBeNull();
    expect(unexpectedErrors()).toEqual([]);
  });
});
