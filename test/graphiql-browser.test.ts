import { existsSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/http/server.ts';
import { api } from '../src/schema.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { projectRoot } from './support/process.ts';
import { organizationWith } from './support/scenarios.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = `${projectRoot}/artifacts`;

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

  it('runs the default query with the token pasted into the Headers editor', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await expect.poll(() => page.title()).toBe('Crewgraph GraphiQL');

    // The headers editor shows how to pass the token; replace the placeholder with a real one.
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await expect.poll(() => headers.innerText()).toContain('Authorization');
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // insertText pastes in one go, so the editor's auto-closing brackets do not double up.
    await page.keyboard.insertText(`{ "Authorization": "Bearer ${token}" }`);

    await page.getByRole('button', { name: /Execute query/ }).click();
    const response = page.locator('.graphiql-response');
    await expect.poll(() => response.innerText(), { timeout: 60_000 }).toContain('viewer');
    // The editor renders spaces as non-breaking ones; compare with whitespace normalised.
    const text = (await response.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('"kind": "ADMIN"');
    expect(text).toContain('"name": "Browser Co"');
    expect(text).toContain('"totalCount": 2');
    expect(text).toContain('"name": "Browser Co project 0"');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/graphiql.png` });
  });
});
