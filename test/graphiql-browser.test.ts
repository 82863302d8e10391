import { existsSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/http/server.ts';
import { api } from '../src/schema.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { projectRoot } from './support/process.ts';
import { organizationWith } from './support/scenarios.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = `${projectRoot}/artifacts`;

/**
 * Records, from the first byte of the page on, every error text GraphiQL ever puts on screen, so "no error
 * before the user acts" is checked without waiting for a moment when one might have appeared.
 */
function recordErrorsShown() {
  const shown: string[] = [];
  (window as unknown as { errorsShown: string[] }).errorsShown = shown;
  const errorText = /UNAUTHENTICATED|Error fetching schema|Introspection failed/;
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      // Only what GraphiQL renders (#root), not the page's inline script, which spells these words too.
      if (!document.getElementById('root')?.contains(mutation.target)) continue;
      const texts =
        mutation.type === 'characterData'
          ? [mutation.target.textContent ?? '']
          : [...mutation.addedNodes].map((node) => node.textContent ?? '');
      for (const text of texts) if (errorText.test(text)) shown.push(text.slice(0, 200));
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

// .ci/run installs Debian's chromium; without it (a laptop) this test is skipped, loudly.
describe.skipIf(!existsSync(CHROMIUM))('GraphiQL in a real browser', () => {
  let db: TestDatabase;
  let http: Server;
  let browser: Browser;
  let url: string;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    token = (await organizationWith(db.prisma, 'Browser Co', { projects: 2 })).adminToken;
    http = createHttpServer(createServer({ api, db, logger: pino({ level: 'silent' }) }));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
    await db?.drop();
  });

  /** A first visit: a fresh profile (empty localStorage), the page loaded and its first introspection answered. */
  async function firstVisit(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(recordErrorsShown);
    const page = await context.newPage();
    const introspection = page.waitForResponse(
      (response) => response.url() === url && !!response.request().postData()?.includes('IntrospectionQuery'),
    );
    await page.goto(url);
    await expect.poll(() => page.title()).toBe('Crewgraph GraphiQL');
    // The placeholder token is refused; the page must keep that to itself.
    expect((await introspection).status()).toBe(401);
    return { context, page };
  }

  const headersEditor = (page: Page) => page.locator('.graphiql-editor-tool .graphiql-editor').last();
  const errorsShown = (page: Page) => page.evaluate(() => (window as unknown as { errorsShown: string[] }).errorsShown);

  async function pasteToken(page: Page) {
    const headers = headersEditor(page);
    await expect.poll(() => headers.innerText()).toContain('Authorization');
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // insertText pastes in one go, so the editor's auto-closing brackets do not double up.
    await page.keyboard.insertText(`{ "Authorization": "Bearer ${token}" }`);
  }

  /** Opens the Docs panel, follows the root type `Query` and returns the text of its field list. */
  async function queryFieldsInDocs(page: Page): Promise<string> {
    const docs = page.locator('.graphiql-doc-explorer');
    if (!(await docs.isVisible())) await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    const queryType = docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ });
    await queryType.first().waitFor({ timeout: 60_000 });
    await queryType.first().click();
    await expect.poll(() => docs.innerText(), { timeout: 60_000 }).toContain('contractors');
    return docs.innerText();
  }

  it('first visit: no error, paste the token, run, and the Docs list Query’s fields without a reload', async () => {
    const { context, page } = await firstVisit();
    const response = page.locator('.graphiql-response');
    expect((await response.innerText()).trim()).toBe('');

    await pasteToken(page);
    await page.getByRole('button', { name: /Execute query/ }).click();
    await expect.poll(() => response.innerText(), { timeout: 60_000 }).toContain('viewer');
    // The editor renders spaces as non-breaking ones; compare with whitespace normalised.
    const text = (await response.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('"kind": "ADMIN"');
    expect(text).toContain('"name": "Browser Co"');
    expect(text).toContain('"totalCount": 2');
    expect(text).toContain('"name": "Browser Co project 0"');

    const fields = await queryFieldsInDocs(page);
    for (const field of ['viewer', 'projects', 'contractors', 'apiKeys', 'node']) expect(fields).toContain(field);
    expect(await errorsShown(page)).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/graphiql.png` });
    await context.close();
  });

  it('keeps the token in the browser only when the user turns "Persist headers" on', async () => {
    const { context, page } = await firstVisit();
    await pasteToken(page);

    // Off by default: GraphiQL saves its tabs (debounced) without any headers.
    const saved = () =>
      page.evaluate(() => ({
        tabs: localStorage.getItem('graphiql:tabState'),
        headers: localStorage.getItem('graphiql:headers'),
      }));
    await expect.poll(async () => (await saved()).tabs, { timeout: 60_000 }).toContain('"tabs"');
    const offState = await saved();
    expect(offState.tabs).not.toContain(token);
    expect(JSON.parse(offState.tabs!).tabs.map((tab: { headers: unknown }) => tab.headers)).toEqual([null]);
    expect(offState.headers ?? '').not.toContain(token);
    await page.reload();
    await expect.poll(() => headersEditor(page).innerText()).toContain('Authorization');
    expect(await headersEditor(page).innerText()).not.toContain(token);

    // Chosen in the settings dialog, it survives a reload, and the Docs load from it with no action.
    await pasteToken(page);
    await page.getByRole('button', { name: /Open settings dialog/ }).click();
    await page.locator('#enable-persist-headers').click();
    expect((await saved()).headers).toContain(token);
    await page.reload();
    await expect.poll(() => headersEditor(page).innerText(), { timeout: 60_000 }).toContain(token);
    expect(await queryFieldsInDocs(page)).toContain('viewer');
    expect(await errorsShown(page)).toEqual([]);
    await context.close();
  });
});
