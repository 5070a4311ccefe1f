import type { Browser, Page } from 'playwright-core';
import { BROWSER_HOOK_TIMEOUT_MS, launchBrowser, openLoopbackPage, type LoopbackPage } from '../helpers/browser';
import { startHookline, type TestHookline } from '../helpers/hookline';

/** How long the page gets to show one streamed value, in ms. @default 10_000 */
const UI_DEADLINE_MS = 10_000;
/** How long one marker event gets to show before the next is published, in ms. @default 500 */
const MARKER_WAIT_MS = 500;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const HEADERS_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';

let browser: Browser;
let h: TestHookline;
let guarded: LoopbackPage;

beforeAll(async () => {
  [browser, h] = await Promise.all([launchBrowser(), startHookline({ db: 'sqlite' })]);
  guarded = await openLoopbackPage(browser);
}, BROWSER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await guarded?.close();
  await browser?.close();
  await h?.stop();
});

/** Replaces an editor's content the way a user pastes into it. */
async function pasteInto(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(`${editor} .CodeMirror`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

const resultShows = (page: Page, text: string, timeout: number) =>
  page.waitForFunction((t) => document.querySelector('.result-window')?.textContent?.includes(t) ?? false, text, { timeout, polling: 'raf' });

async function publish(): Promise<string> {
  return (await h.ok(PUBLISH, { i: { type: 'sms.received', payload: { body: 'from the test' } } })).publishEvent.id;
}

test('GraphiQL on Hookline streams eventPublished with the key from its headers editor', async () => {
  const { page, blockedRequests } = guarded;
  await page.goto(`${h.url}/graphiql`);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: UI_DEADLINE_MS });
  await pasteInto(page, HEADERS_EDITOR, `{"Authorization": "Bearer ${h.apiKey}"}`);
  await pasteInto(page, '.graphiql-query-editor', 'subscription { eventPublished { id type } }');
  const socket = page.waitForEvent('websocket', { timeout: UI_DEADLINE_MS });
  await page.locator('.graphiql-execute-button').click();
  expect((await socket).url()).toBe(`${h.url.replace('http', 'ws')}/graphql`);

  // Live once a published event shows up: publish markers until one does.
  const deadline = Date.now() + UI_DEADLINE_MS;
  for (;;) {
    const marker = await publish();
    if (await resultShows(page, marker, MARKER_WAIT_MS).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`no event ever showed; the page shows: ${await page.locator('.result-window').textContent()}`);
  }
  const id = await publish();
  await resultShows(page, `"id": "${id}"`, UI_DEADLINE_MS);
  await expect(page.locator('.result-window').textContent()).resolves.toContain('"type": "sms.received"');
  expect(blockedRequests).toEqual([]);
});
