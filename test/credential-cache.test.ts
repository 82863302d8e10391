import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../src/modules/admins/admin.service.ts';
import { CredentialCache } from '../src/db/credential-cache.ts';
import type { NamedStatement } from '../src/db/database.ts';
import { AUTHENTICATION_STATEMENTS } from '../src/auth/credential-lookup.ts';
import { CREATE, REVOKE, UPDATE } from './support/api-key-operations.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { globalId } from './support/scenarios.ts';

const AUTHENTICATE = /\/\* authenticate \*\//;
const VIEWER = '{ viewer { kind } }';

/** Until `condition` holds; no fixed sleeps (a busy machine only makes this slower). */
async function eventually(condition: () => Promise<boolean> | boolean, what: string) {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the cache of verified credentials, one instance', () => {
  let server: TestServer;
  let adminToken: string;
  let projectIds: string[];

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await createAdmin(server.db.prisma, { organizationName: 'Cache', email: 'owner@cache.test' });
    adminToken = admin.token;
    const projects = await Promise.all(
      ['A', 'B'].map((code) =>
        server.db.prisma.project.create({ data: { organizationId: admin.organizationId, name: code, code } }),
      ),
    );
    projectIds = projects.map((project) => globalId('Project', project.id));
  });
  afterAll(() => server?.close());

  const authenticationsDuring = async (run: () => Promise<unknown>) => {
    server.db.statements.length = 0;
    await run();
    return server.db.statements.filter((sql) => AUTHENTICATE.test(sql)).length;
  };

  /** Until the key's row is answered from the cache (the lease is taken on the first use). */
  const untilCached = (token: string) =>
    eventually(async () => (await authenticationsDuring(() => server.graphql(token, VIEWER))) === 0, 'a hit');

  async function newKey(name: string) {
    const created = await server.graphql(adminToken, CREATE, { input: { name, projectIds, allowWrites: false } });
    return created.body.data.createApiKey;
  }

  it('answers a repeated credential without reading it again', async () => {
    const { token } = await newKey('repeat');
    await untilCached(token);
    expect(await authenticationsDuring(() => server.graphql(token, VIEWER))).toBe(0);
    expect((await server.graphql(token, VIEWER)).body.data.viewer.kind).toBe('API_KEY');
  });

  it('refuses a revoked key on the very next request, and reads it again', async () => {
    const { token, apiKey } = await newKey('revoked');
    await untilCached(token);
    await server.graphql(adminToken, REVOKE, { input: { id: apiKey.id } });
    let refused!: Awaited<ReturnType<TestServer['graphql']>>;
    expect(await authenticationsDuring(async () => (refused = await server.graphql(token, VIEWER)))).toBe(1);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('API_KEY_INACTIVE');
  });

  it("applies a key's narrowed projects on the very next request", async () => {
    const { token, apiKey } = await newKey('narrowed');
    const visible = async () =>
      (await server.graphql(token, '{ projects { totalCount } }')).body.data.projects.totalCount;
    expect(await visible()).toBe(2);
    await eventually(async () => (await authenticationsDuring(visible)) === 0, 'a hit');
    await server.graphql(adminToken, UPDATE, { input: { id: apiKey.id, projectIds: [projectIds[0]] } });
    expect(await visible()).toBe(1);
  });

  it('a last-use record does not empty the cache (the trigger watches only what authentication reads)', async () => {
    const { token, apiKey } = await newKey('last use');
    await untilCached(token);
    const [, id] = Buffer.from(apiKey.id, 'base64url').toString().split(':');
    const cache = server.db.credentials;
    const mark = cache.mark();
    await server.db.prisma.apiKey.updateMany({
      where: { id },
      data: { lastUsedAt: new Date(), lastUsedIp: '10.0.0.1' },
    });
    // settle's statement on the listening connection answers after any notification sent before it.
    await cache.settle(mark);
    expect(cache.mark()).toBe(mark);
    expect(await authenticationsDuring(() => server.graphql(token, VIEWER))).toBe(0);
    // A change it watches does empty it.
    await server.db.prisma.apiKey.updateMany({ where: { id }, data: { allowWrites: false } });
    await cache.settle(mark);
    expect(cache.mark()).not.toBe(mark);
    expect(await authenticationsDuring(() => server.graphql(token, VIEWER))).toBe(1);
  });

  it("the trigger watches every column of a table that authentication's statements read", async () => {
    const aliases = { k: 'ApiKey', t: null, u: 'User', o: 'Organization' } as const;
    const read = new Map<string, Set<string>>();
    for (const { text } of AUTHENTICATION_STATEMENTS) {
      for (const [, alias, column] of text.matchAll(/\b([ktuo])\."?(\w+)"?/g)) {
        const table =
          alias === 't'
            ? text.includes('FROM "AdminToken" t')
              ? 'AdminToken'
              : 'AccessToken'
            : aliases[alias as 'k' | 'u' | 'o'];
        if (!read.has(table)) read.set(table, new Set());
        read.get(table)!.add(column);
      }
    }
    expect(read.get('ApiKey')).toContain('canWritePeople');
    expect(read.get('Organization')).toContain('defaultRateLimitRequests');
    for (const [table, columns] of read) {
      const [trigger] = await server.db.prisma.$queryRaw<{ columns: string[] }[]>`
        SELECT ARRAY(SELECT a.attname::text FROM pg_attribute a
                      WHERE a.attrelid = g.tgrelid AND a.attnum = ANY (g.tgattr::int2[])) AS columns
          FROM pg_trigger g WHERE g.tgname = 'credentials_changed' AND g.tgrelid = ${`"${table}"`}::regclass`;
      expect(trigger, `a credentials_changed trigger on ${table}`).toBeDefined();
      // A trigger on every column (no column list) watches them all.
      const unwatched = trigger.columns.length
        ? [...columns].filter((column) => !trigger.columns.includes(column))
        : [];
      expect({ table, unwatched }).toEqual({ table, unwatched: [] });
    }
  });
});

describe('the cache of verified credentials, its rules', () => {
  let db: TestDatabase;
  let keyId: string;
  const STATEMENT: NamedStatement = {
    name: 'cache_test_key',
    text: `SELECT state::text AS state FROM "ApiKey" WHERE "keyId" = $1`,
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const admin = await createAdmin(db.prisma, { organizationName: 'Rules', email: 'owner@rules.test' });
    const key = await db.prisma.apiKey.create({
      data: {
        organizationId: admin.organizationId,
        name: 'k',
        normalizedName: 'k',
        keyId: 'rulesKey0001',
        secretHash: Buffer.alloc(32),
      },
    });
    keyId = key.keyId;
  });
  afterAll(() => db?.drop());

  /** A second cache on the test database's listening connections, with its own lookup. */
  function cacheWith(lookup: (statement: NamedStatement, values: unknown[]) => Promise<unknown[]>, enabled = true) {
    return new CredentialCache({
      connect: () => (db.credentials as unknown as { options: { connect: () => never } }).options.connect(),
      lookup: lookup as never,
      enabled,
      onError: () => {},
    });
  }

  it('does not keep what a lookup read before a change it heard of meanwhile', async () => {
    let reads = 0;
    let release!: () => void;
    let held: Promise<void> | null = null;
    const cache = cacheWith(async (statement, values) => {
      if (statement !== STATEMENT) return db.query(statement, values);
      reads++;
      const rows = await db.query(statement, values);
      await held;
      return rows;
    });
    try {
      await eventually(async () => {
        const before = reads;
        await cache.query(STATEMENT, [keyId]);
        return reads === before;
      }, 'a hit');
      await db.prisma.apiKey.update({ where: { keyId }, data: { allowWrites: true } });
      held = new Promise((resolve) => (release = resolve));
      const mark = cache.mark();
      const slow = cache.query(STATEMENT, [keyId]);
      await db.prisma.apiKey.update({ where: { keyId }, data: { state: 'INACTIVE' } });
      await cache.settle(mark);
      release();
      expect(await slow).toEqual([{ state: 'ACTIVE' }]);
      held = null;
      const after = reads;
      expect(await cache.query(STATEMENT, [keyId])).toEqual([{ state: 'INACTIVE' }]);
      expect(reads).toBe(after + 1);
    } finally {
      release?.();
      await cache.close();
    }
  });

  it('caches nothing when turned off, and a change still settles', async () => {
    let reads = 0;
    const cache = cacheWith((statement, values) => (reads++, db.query(statement, values)), false);
    try {
      for (let i = 0; i < 5; i++) await cache.query(STATEMENT, [keyId]);
      expect(reads).toBe(5);
      const mark = cache.mark();
      await db.prisma.apiKey.update({ where: { keyId }, data: { state: 'ACTIVE' } });
      await cache.settle(mark);
    } finally {
      await cache.close();
    }
  });
});
