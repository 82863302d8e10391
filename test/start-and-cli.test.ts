import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticate } from '../src/auth/authenticate.ts';
import { openDatabase } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';
import { runScript, startServerProcess } from './support/process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'crewgraph-start-'));
const embedded = { DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', SEED_DEMO: '' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function viewer(url: string, token: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ viewer { kind } contractors { totalCount } }' }),
  });
  return { status: res.status, body: await res.json() };
}

// Real processes (tsx, PGlite, migrations): slow when the machine is busy, so generous limits.
describe('npm start on the embedded database', { timeout: 90_000 }, () => {
  let token = '';

  it('first start migrates, seeds the demo organisation and prints a working admin token', async () => {
    const server = await startServerProcess(embedded);
    try {
      token = /Bearer (cga_\w+)/.exec(server.stdout())?.[1] ?? '';
      expect(token).toMatch(/^cga_/);
      const ready = await fetch(server.url.replace('/graphql', '/ready'));
      expect(ready.status).toBe(200);
      const res = await viewer(server.url, token);
      expect(res.body.data.viewer.kind).toBe('ADMIN');
      expect(res.body.data.contractors.totalCount).toBeGreaterThanOrEqual(20);

      // PGlite is single-process: the CLI must refuse, not corrupt it.
      const cli = await runScript(
        'src/cli.ts',
        ['create-admin', '--org', 'X', '--email', 'x@example.com', '--json'],
        embedded,
      );
      expect(cli.code).not.toBe(0);
      expect(cli.stdout).toBe('');
      expect(cli.stderr).toMatch(/in use by another process/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('a second start reuses the data and prints no secret', async () => {
    const server = await startServerProcess(embedded);
    try {
      expect(server.stdout()).not.toMatch(/cga_/);
      expect((await viewer(server.url, token)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses a bad configuration with one readable line', async () => {
    const bad = await runScript('src/main.ts', [], { ...embedded, PORT: 'eighty' });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('crewgraph: PORT must be an integer between 0 and 65535, got "eighty"');
    const badUrl = await runScript('src/main.ts', [], { ...embedded, DATABASE_URL: 'mysql://localhost/db' });
    expect(badUrl.stderr.trim()).toMatch(/^crewgraph: DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
  });
});

describe('admin CLI', { timeout: 90_000 }, () => {
  it('create-admin --json prints only the JSON document, and the token works', async () => {
    // On PostgreSQL a throwaway database; otherwise a fresh embedded one in a temp dir.
    const target = process.env.DATABASE_URL ? await createTestDatabase() : null;
    const tempDir = target ? null : mkdtempSync(path.join(tmpdir(), 'crewgraph-cli-'));
    const cliEnv = target ? { DATABASE_URL: target.url } : { DATABASE_URL: '', DATA_DIR: tempDir! };
    try {
      const out = await runScript(
        'src/cli.ts',
        ['create-admin', '--org', 'Cli Org', '--email', 'Ops@Example.com', '--json'],
        cliEnv,
      );
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const created = JSON.parse(out.stdout);
      expect(Object.keys(created)).toEqual(['organizationId', 'userId', 'token']);
      expect(created.token).toMatch(/^cga_[0-9A-Za-z]{12}_[0-9A-Za-z]{49}$/);

      const again = JSON.parse(
        (
          await runScript(
            'src/cli.ts',
            ['create-admin', '--org', 'Cli Org', '--email', 'ops@example.com', '--json'],
            cliEnv,
          )
        ).stdout,
      );
      expect(again.organizationId).toBe(created.organizationId);
      expect(again.userId).toBe(created.userId);
      expect(again.token).not.toBe(created.token);

      const bad = await runScript(
        'src/cli.ts',
        ['create-admin', '--org', 'Cli Org', '--email', 'nope', '--json'],
        cliEnv,
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/--email/);
    } finally {
      await target?.drop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  });

  it('create-admin --role PROJECT_ADMIN --projects limits the new admin to those projects', async () => {
    const target = process.env.DATABASE_URL ? await createTestDatabase() : null;
    const tempDir = target ? null : mkdtempSync(path.join(tmpdir(), 'crewgraph-cli-'));
    const cliEnv = target ? { DATABASE_URL: target.url } : { DATABASE_URL: '', DATA_DIR: tempDir! };
    // The fixture (an organisation with projects) is written directly; PGlite is then closed for the CLI.
    const open = async () => target ?? (await openDatabase({ dataDir: tempDir! }));
    try {
      const db = await open();
      await db.migrate();
      const org = await db.prisma.organization.create({ data: { name: 'Cli Roles' } });
      const [p1, p2] = await Promise.all(
        ['P1', 'P2', 'P3'].map((code) =>
          db.prisma.project.create({ data: { organizationId: org.id, name: code, code } }),
        ),
      );
      if (!target) await db.close();
      const cli = (...args: string[]) =>
        runScript('src/cli.ts', ['create-admin', '--org', 'Cli Roles', '--email', 'site@example.com', ...args], cliEnv);

      const missing = await cli('--role', 'PROJECT_ADMIN', '--json');
      expect([missing.code, missing.stdout]).toEqual([2, '']);
      expect(missing.stderr.trim()).toBe('crewgraph: --role PROJECT_ADMIN needs --projects <id-or-code,...>');
      // (unknown projects and other database-side refusals: test/admin-roles.test.ts, through the same function)

      const out = await cli('--role', 'project_admin', '--projects', `P1,${p2.id}`, '--json');
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const created = JSON.parse(out.stdout);
      expect(Object.keys(created)).toEqual(['organizationId', 'userId', 'token']);
      const check = await open();
      try {
        const principal = await authenticate(check, created.token);
        expect(principal).toMatchObject({ kind: 'ADMIN', role: 'PROJECT_ADMIN', userId: created.userId });
        expect(principal.projectIds?.sort()).toEqual([p1.id, p2.id].sort());
      } finally {
        if (!target) await check.close();
      }
    } finally {
      await target?.drop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  });
});
