import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { organizationWith, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { useTempDirs } from '../../../test/support/temp-dirs.ts';
import { registerDocumentsCommand } from './cli.ts';

/* `npm run cli -- register-documents`: the command's body, against a test database; the result is read over HTTP. */

const tempDir = useTempDirs('crewgraph-manifest-');
const entry = (body: string) => [`sha256:${createHash('sha256').update(body).digest('hex')}`, body] as const;
const PROJECTS = entry('query Projects { projects(first: 3) { totalCount } }');
const VIEWER = entry('query Me { viewer { kind } }');

let server: TestServer;
let acme: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Manifesto', { projects: 1, contractorsPerProject: 0 });
});
afterAll(() => server?.close());

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => !!out.push(String(chunk)));
  const stderr = vi.spyOn(console, 'error').mockImplementation((line) => void err.push(String(line)));
  process.exitCode = undefined;
  try {
    await registerDocumentsCommand(args, (fn) => fn(server.db));
    return { out: out.join(''), err: err.join('\n'), exitCode: process.exitCode };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}

async function manifestFile(entries: (readonly [string, string])[]) {
  const file = path.join(await tempDir(), 'persisted-documents.json');
  await writeFile(file, JSON.stringify(Object.fromEntries(entries)));
  return file;
}

describe('register-documents', () => {
  it('registers a manifest for an organisation named on the command line; running it again registers nothing', async () => {
    const manifest = await manifestFile([PROJECTS, VIEWER]);
    const first = await run(['--org', ' manifesto ', '--manifest', manifest, '--json']);
    expect(first.exitCode).toBeUndefined();
    expect(JSON.parse(first.out)).toEqual({ registered: 2, documents: 2 });
    expect(JSON.parse((await run(['--org-id', acme.organizationId, '--manifest', manifest, '--json'])).out)).toEqual({
      registered: 0,
      documents: 2,
    });
    const response = await server.yoga.fetch('http://crewgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.adminToken}` },
      body: JSON.stringify({ documentId: PROJECTS[0] }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ projects: { totalCount: 1 } });
  });

  it("registers the repository's own typed-client manifest, whose documents then run by id", async () => {
    const manifest = path.resolve('test/client/generated/persisted-documents.json');
    const entries = JSON.parse(await readFile(manifest, 'utf8')) as Record<string, string>;
    const result = await run(['--org', 'Manifesto', '--manifest', manifest, '--json']);
    expect(result.exitCode).toBeUndefined();
    expect(JSON.parse(result.out).documents).toBe(Object.keys(entries).length);
    const [viewerId] = Object.entries(entries).find(([, body]) => /query Viewer\b/.test(body))!;
    const response = await server.yoga.fetch('http://crewgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.adminToken}` },
      body: JSON.stringify({ documentId: viewerId }),
    });
    const body = (await response.json()) as { data?: { viewer: { kind: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.viewer.kind).toBe('ADMIN');
  });

  it('refuses a manifest with a bad hash or an invalid document, naming the entry, and stores none of it', async () => {
    const before = await server.db.prisma.persistedDocument.count();
    const badHash = [`sha256:${'0'.repeat(64)}`, 'query Zero { viewer { kind } }'] as const;
    const invalid = entry('query Nope { noSuchRoot }');
    const result = await run([
      '--org',
      'Manifesto',
      '--manifest',
      await manifestFile([entry('query Ok { viewer { kind } }'), badHash, invalid]),
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.err).toContain(`${badHash[0]}: id is not the SHA-256 of body`);
    expect(result.err).toContain(`${invalid[0]}: body does not validate against the schema`);
    expect(await server.db.prisma.persistedDocument.count()).toBe(before);
  });

  it('says what is wrong with the command: no organisation, an unknown one, a file that is not a manifest', async () => {
    const manifest = await manifestFile([VIEWER]);
    expect((await run(['--manifest', manifest])).err).toMatch(/needs --org/);
    expect((await run(['--org', 'Nobody', '--manifest', manifest])).err).toMatch(/no organisation named "Nobody"/);
    const notManifest = path.join(await tempDir(), 'list.json');
    await writeFile(notManifest, '["query { viewer { kind } }"]');
    const result = await run(['--org', 'Manifesto', '--manifest', notManifest]);
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(/not a persisted-documents manifest/);
  });
});
