import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticate } from '../src/auth/authenticate.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';
import { projectRoot, runScript, startServerProcess } from './support/process.ts';

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
describe('npm start on the embedded database', { timeout: 300_000 }, () => {
  let token = '';

  it('first start migrates, seeds the demo organisation and prints a working admin token', async () => {
    const server = await startServerProcess(embedded);
    try {
      token = /Bearer (cga_\w+)/.exec(server.stdout())?.[1] ?? '';
      expect(token).toMatch(/^cga_/);
      const ready = await fetch(server.url.replace('/graphql', '/ready'));
      expect(ready.status).toBe(200);
      expect(server.stdout()).toMatch(/Crewgraph is serving GraphiQL at http:\/\/127\.0\.0\.1:\d+\/graphql/);
      expect(server.stdout()).not.toMatch(/create-admin/); // the token was printed: no hint
      const root = await fetch(server.url.replace('/graphql', '/'), {
        headers: { accept: 'text/html' },
        redirect: 'manual',
      });
      expect([root.status, root.headers.get('location')]).toEqual([302, '/graphql']);
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

  it('a second start reuses the data, prints no secret but the command that makes a token, and no GraphiQL line when it is off', async () => {
    const server = await startServerProcess({ ...embedded, GRAPHIQL: '0' });
    try {
      const stdout = server.stdout();
      expect(stdout).not.toMatch(/cga_/);
      expect(stdout).toContain('the demo organisation "Demo Construction Co" already existed');
      expect(stdout).toContain(
        '  npm run --silent cli -- create-admin --org "Demo Construction Co" --email you@example.com\n',
      );
      expect(stdout).not.toMatch(/GraphiQL at/);
      expect(stdout).toMatch(
        /Crewgraph is serving the GraphQL API at http:\/\/127\.0\.0\.1:\d+\/graphql .*GraphiQL is off/,
      );
      expect((await viewer(server.url, token)).status).toBe(200);
      // Without GraphiQL, a browser too is told where the API is, instead of a redirect to a page that is not there.
      const root = await fetch(server.url.replace('/graphql', '/'), {
        headers: { accept: 'text/html' },
        redirect: 'manual',
      });
      expect(root.status).toBe(200);
      expect((await root.json()).graphqlEndpoint).toBe('/graphql');
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

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('a database that cannot be used at start', { timeout: 300_000 }, () => {
  /** The server and the CLI, each: exit code 1 and one readable line, the given one. */
  async function expectOneLine(env: Record<string, string>, line: RegExp) {
    for (const [script, args] of [
      ['src/main.ts', []],
      ['src/cli.ts', ['create-admin', '--org', 'X', '--email', 'x@example.com', '--json']],
    ] as const) {
      const run = await runScript(script, [...args], { ...env, PORT: '0', LOG_LEVEL: 'warn' });
      expect({ script, code: run.code, stdout: run.stdout }).toEqual({ script, code: 1, stdout: '' });
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr.trim()).toMatch(line);
      expect(run.stderr).not.toMatch(/secret/); // the URL's password
    }
  }

  it('nothing listening on its port: one line naming the address, exit code 1', async () => {
    const port = await closedPort();
    await expectOneLine(
      { DATABASE_URL: `postgresql://crew:secret@127.0.0.1:${port}/crewgraph` },
      new RegExp(`^crewgraph: PostgreSQL at 127\\.0\\.0\\.1:${port}/crewgraph \\(DATABASE_URL\\): connection refused`),
    );
  });

  it.skipIf(!process.env.DATABASE_URL)('a database that does not exist: one line, exit code 1', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/does_not_exist';
    await expectOneLine(
      { DATABASE_URL: url.toString() },
      /^crewgraph: PostgreSQL at [^ ]+\/does_not_exist \(DATABASE_URL\): the database does not exist/,
    );
  });
});

describe('admin CLI', { timeout: 300_000 }, () => {
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

describe('admin CLI: which organisation', { timeout: 300_000 }, () => {
  it('--org matches a name ignoring case and spaces, --org-id takes the id, an ambiguous name is refused', async () => {
    const target = process.env.DATABASE_URL ? await createTestDatabase() : null;
    const tempDir = target ? null : mkdtempSync(path.join(tmpdir(), 'crewgraph-cli-'));
    const cliEnv = target ? { DATABASE_URL: target.url } : { DATABASE_URL: '', DATA_DIR: tempDir! };
    const cli = (...args: string[]) => runScript('src/cli.ts', ['create-admin', ...args, '--json'], cliEnv);
    /** The organisations' names, read directly (PGlite is closed again for the CLI). */
    const withDb = async <T>(fn: (db: Database) => Promise<T>) => {
      const db = target ?? (await openDatabase({ dataDir: tempDir! }));
      try {
        return await fn(db);
      } finally {
        if (!target) await db.close();
      }
    };
    try {
      const first = await cli('--org', 'Org A', '--email', 'one@example.com');
      expect([first.code, first.stderr]).toEqual([0, '']);
      const orgA = JSON.parse(first.stdout).organizationId;

      const sameName = await cli('--org', '  org a ', '--email', 'two@example.com');
      expect([sameName.code, sameName.stderr]).toEqual([0, '']);
      expect(JSON.parse(sameName.stdout).organizationId).toBe(orgA);

      const byId = await cli('--org-id', orgA, '--email', 'three@example.com');
      expect([byId.code, byId.stderr]).toEqual([0, '']);
      const created = JSON.parse(byId.stdout);
      expect(Object.keys(created)).toEqual(['organizationId', 'userId', 'token']);
      expect(created.organizationId).toBe(orgA);
      expect(await withDb((db) => db.prisma.organization.findMany({ select: { name: true } }))).toEqual([
        { name: 'Org A' },
      ]);

      const unknownId = await cli('--org-id', '0190d8a4-0000-7000-8000-000000000000', '--email', 'x@example.com');
      expect([unknownId.code, unknownId.stdout]).toEqual([1, '']);
      expect(unknownId.stderr.trim()).toBe('crewgraph: no organisation with id "0190d8a4-0000-7000-8000-000000000000"');

      const both = await cli('--org', 'Org A', '--org-id', orgA, '--email', 'x@example.com');
      expect([both.code, both.stdout, both.stderr.trim()]).toEqual([
        2,
        '',
        'crewgraph: give --org or --org-id, not both',
      ]);

      // Two organisations whose names differ only in case (made before names were matched so).
      const orgB = await withDb(async (db) => (await db.prisma.organization.create({ data: { name: 'ORG A' } })).id);
      const ambiguous = await cli('--org', 'org a', '--email', 'four@example.com');
      expect([ambiguous.code, ambiguous.stdout]).toEqual([1, '']);
      const message = ambiguous.stderr.trim();
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toMatch(/^crewgraph: organisation name "org a" matches 2 organisations/);
      expect(message).toContain(orgA);
      expect(message).toContain(orgB);
      expect(message).toMatch(/use --org-id <id>$/);
      const chosen = await cli('--org-id', orgB, '--email', 'four@example.com');
      expect(JSON.parse(chosen.stdout).organizationId).toBe(orgB);
    } finally {
      await target?.drop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  });
});

/** A local port that something else is listening on, until close() is called. */
async function busyPort(): Promise<{ port: number; close: () => Promise<unknown> }> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  return { port: (holder.address() as net.AddressInfo).port, close: () => new Promise((r) => holder.close(r)) };
}

describe('failures at start: one line, exit code 1, before any database work', { timeout: 300_000 }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'crewgraph-fail-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a busy port fails at once: the embedded database is not even created', async () => {
    const dataDir = path.join(root, 'never-created');
    const holder = await busyPort();
    try {
      const run = await runScript('src/main.ts', [], { ...embedded, DATA_DIR: dataDir, PORT: String(holder.port) });
      expect([run.code, run.stdout]).toEqual([1, '']);
      expect(run.stderr.trim().split('\n')).toEqual([
        `crewgraph: port ${holder.port} on 127.0.0.1 is already in use (PORT); stop what is listening there or choose another PORT (0 picks a free one)`,
      ]);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await holder.close();
    }
  });

  it('a busy port is refused before PostgreSQL is even asked (an unreachable one would be the other line)', async () => {
    const holder = await busyPort();
    try {
      const run = await runScript('src/main.ts', [], {
        DATABASE_URL: `postgresql://crew:secret@127.0.0.1:${await closedPort()}/crewgraph`,
        PORT: String(holder.port),
        LOG_LEVEL: 'warn',
      });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(
        new RegExp(`^crewgraph: port ${holder.port} on 127\\.0\\.0\\.1 is already in use`),
      );
    } finally {
      await holder.close();
    }
  });

  it('a data directory that cannot be created: one line for the server and for the CLI', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    const dataDir = path.join(file, 'data');
    for (const [script, args] of [
      ['src/main.ts', []],
      ['src/cli.ts', ['migrate']],
    ] as const) {
      const run = await runScript(script, [...args], { ...embedded, DATA_DIR: dataDir });
      expect({ script, code: run.code, stdout: run.stdout }).toEqual({ script, code: 1, stdout: '' });
      expect(run.stderr.trim().split('\n')).toEqual([
        `crewgraph: cannot use ${dataDir} (DATA_DIR) for the embedded database: part of the path is a file, not a directory; set DATA_DIR to a writable directory, or DATABASE_URL to use PostgreSQL`,
      ]);
    }
  });
});

describe('a start without a demo token says how to make one', { timeout: 300_000 }, () => {
  it('no organisation: the command for the first; then the organisation by name, in a command that works', async () => {
    // PostgreSQL (a throwaway database) when the suite runs on it, otherwise a fresh embedded one; no demo either way.
    const target = process.env.DATABASE_URL ? await createTestDatabase() : null;
    const tempDir = target ? null : mkdtempSync(path.join(tmpdir(), 'crewgraph-hint-'));
    const env = {
      ...(target ? { DATABASE_URL: target.url } : { DATABASE_URL: '', DATA_DIR: tempDir! }),
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_DEMO: '0',
    };
    const where = target
      ? 'run this in another terminal, with the same DATABASE_URL:'
      : 'stop the server (Ctrl-C), run this, and start it again:';
    try {
      const first = await startServerProcess(env);
      expect(await first.stop()).toBe(0);
      expect(first.stdout()).toContain(
        [
          'No organisation exists yet, so there is no admin token.',
          `To create the first organisation and an admin token for it, ${where}`,
          '  npm run --silent cli -- create-admin --org "<organisation name>" --email you@example.com',
          'Crewgraph is serving GraphiQL at',
        ].join('\n'),
      );

      const organization = "O'Brien & Sons";
      const created = await runScript(
        'src/cli.ts',
        ['create-admin', '--org', organization, '--email', 'a@example.com'],
        env,
      );
      expect(created.code).toBe(0);

      const second = await startServerProcess(env);
      expect(await second.stop()).toBe(0);
      const command = `npm run --silent cli -- create-admin --org 'O'\\''Brien & Sons' --email you@example.com`;
      expect(second.stdout()).toContain(`For a new admin token, ${where}\n  ${command}\n`);

      // The printed command, as a shell runs it, makes a token for that organisation.
      const ran = spawnSync('sh', ['-c', command], {
        cwd: projectRoot,
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      expect([ran.status, ran.stderr]).toEqual([0, '']);
      expect(ran.stdout).toMatch(
        /^Admin you@example\.com of "O'Brien & Sons" created\.\nToken \(shown once\): cga_\w+\n$/,
      );
    } finally {
      await target?.drop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  });
});
