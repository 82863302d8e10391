import pino from 'pino';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../http/limits/rate-limit.ts';
import { UsageCounter } from './usage-counter.ts';
import { createServer } from '../../http/server.ts';
import { api } from '../../schema.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { storedUsage } from '../../../test/support/usage.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';

const silent = pino({ level: 'silent' });
const KEY_BUDGET = 5;

let db: TestDatabase;
let org: OrganizationScenario;
/** The injected clock of every instance in this file. */
let clock = Date.parse('2026-03-10T12:00:00Z');
const now = () => new Date(clock);

/** A server instance on the test database with its own usage counter (flushed by hand). */
function instance(database: TestDatabase = db) {
  const usage = new UsageCounter(database.prisma, { logger: silent, autoFlush: false });
  const rateLimiter = createRateLimiter(
    { keyRequests: KEY_BUDGET, adminRequests: 10_000, windowSeconds: 3600 },
    silent,
  );
  const yoga = createServer({ api, db: database, logger: silent, now, usage, rateLimiter });
  const fetch = (path: string, init: RequestInit) => yoga.fetch(`http://crewgraph.test${path}`, init);
  const graphql = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  return { usage, yoga, fetch, graphql };
}

const USAGE = /* GraphQL */ `
  query Usage($id: ID!, $since: Date!, $until: Date!) {
    node(id: $id) {
      ... on ApiKey {
        usage(since: $since, until: $until) {
          day
          requests
          errors
          rateLimited
        }
      }
    }
  }
`;

async function usageOf(server: ReturnType<typeof instance>, apiKeyId: string, since: string, until: string = since) {
  const res = await server.graphql(org.adminToken, USAGE, { id: globalId('ApiKey', apiKeyId), since, until });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node.usage as { day: string; requests: number; errors: number; rateLimited: number }[];
}

const newKey = () => apiKeyFixture(db.prisma, org.organizationId, { projectIds: org.projectIds });
const OK = '{ viewer { kind } }';

beforeAll(async () => {
  db = await createTestDatabase();
  org = await organizationWith(db.prisma, 'Metered', { projects: 1, contractorsPerProject: 1 });
});
afterAll(() => db?.drop());

describe('usage counting', () => {
  it('counts requests, errors and rate-limited requests exactly, before and after a flush, with no write per request', async () => {
    clock = Date.parse('2026-03-10T12:00:00Z');
    const server = instance();
    const key = await newKey();

    db.statements.length = 0;
    for (let i = 0; i < 3; i++) expect((await server.graphql(key.token, OK)).status).toBe(200);
    // An execution error with partial data (200) and a validation error (400).
    const partial = await server.graphql(key.token, '{ viewer { kind } node(id: "not-an-id") { id } }');
    expect(partial.status).toBe(200);
    expect(partial.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const invalid = await server.graphql(key.token, '{ noSuchField }');
    expect(invalid.status).toBe(400);
    // The budget of 5 is spent: the next two are refused.
    for (let i = 0; i < 2; i++) expect((await server.graphql(key.token, OK)).status).toBe(429);
    expect(db.statements.filter((sql) => /ApiKeyUsage/.test(sql))).toEqual([]);

    const expected = [{ day: '2026-03-10', requests: 7, errors: 2, rateLimited: 2 }];
    expect(server.usage.pendingBuckets).toBe(1);
    expect(await usageOf(server, key.id, '2026-03-10')).toEqual(expected); // from memory
    expect(await storedUsage(db.prisma, key.id)).toEqual([]);

    db.statements.length = 0;
    await server.usage.flush();
    expect(db.statements).toHaveLength(1);
    expect(db.statements[0]).toMatch(
      /^\s*\/\* usage flush \*\/ INSERT INTO "ApiKeyUsage".*ON CONFLICT \("apiKeyId", "day"\) DO UPDATE/s,
    );
    expect(server.usage.pendingBuckets).toBe(0);

    expect(await storedUsage(db.prisma, key.id)).toEqual([
      { day: new Date('2026-03-10T00:00:00Z'), requests: 7, errors: 2, rateLimited: 2 },
    ]);
    expect(await usageOf(server, key.id, '2026-03-10')).toEqual(expected); // stored, not counted twice

    // More traffic after the flush adds to the stored row.
    await server.graphql(key.token, OK); // still rate-limited
    expect(await usageOf(server, key.id, '2026-03-10')).toEqual([
      { day: '2026-03-10', requests: 8, errors: 2, rateLimited: 3 },
    ]);
    db.statements.length = 0;
    await server.usage.flush();
    await server.usage.flush(); // nothing left: no statement
    expect(db.statements).toHaveLength(1);
    expect((await storedUsage(db.prisma, key.id))[0].requests).toBe(8);
  });

  it('admin requests and requests that fail authentication are not counted', async () => {
    const server = instance();
    await server.graphql(org.adminToken, OK);
    await server.graphql('cgk_notarealkey_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', OK);
    expect(server.usage.pendingBuckets).toBe(0);
  });

  it('every day of the range appears, zero-filled and in order', async () => {
    clock = Date.parse('2026-03-12T08:00:00Z');
    const server = instance();
    const key = await newKey();
    await server.graphql(key.token, OK);
    await server.graphql(key.token, OK);
    const zero = (day: string) => ({ day, requests: 0, errors: 0, rateLimited: 0 });
    expect(await usageOf(server, key.id, '2026-03-10', '2026-03-14')).toEqual([
      zero('2026-03-10'),
      zero('2026-03-11'),
      { day: '2026-03-12', requests: 2, errors: 0, rateLimited: 0 },
      zero('2026-03-13'),
      zero('2026-03-14'),
    ]);
    expect(await usageOf(server, key.id, '2027-01-01')).toEqual([zero('2027-01-01')]);
  });

  it('requests on either side of UTC midnight land on their own days', async () => {
    const server = instance();
    const key = await newKey();
    clock = Date.parse('2026-03-31T23:59:58Z');
    await server.graphql(key.token, OK);
    await server.graphql(key.token, '{ noSuchField }');
    await server.usage.flush();
    clock = Date.parse('2026-04-01T00:00:00Z');
    await server.graphql(key.token, OK);
    clock = Date.parse('2026-04-01T00:00:01Z');
    await server.graphql(key.token, OK);
    await server.graphql(key.token, OK);
    // Read with part of it flushed and part in memory, then all of it flushed.
    const expected = [
      { day: '2026-03-31', requests: 2, errors: 1, rateLimited: 0 },
      { day: '2026-04-01', requests: 3, errors: 0, rateLimited: 0 },
    ];
    expect(await usageOf(server, key.id, '2026-03-31', '2026-04-01')).toEqual(expected);
    await server.usage.flush();
    expect(await usageOf(server, key.id, '2026-03-31', '2026-04-01')).toEqual(expected);
    expect((await storedUsage(db.prisma, key.id)).map((row) => row.requests)).toEqual([2, 3]);
  });

  it('two instances flushing the same key and day add up', async () => {
    clock = Date.parse('2026-03-15T10:00:00Z');
    const a = instance();
    const b = instance();
    const key = await newKey();
    for (let i = 0; i < 3; i++) await a.graphql(key.token, OK);
    for (let i = 0; i < 4; i++) await b.graphql(key.token, OK);
    await b.graphql(key.token, '{ noSuchField }');
    await Promise.all([a.usage.flush(), b.usage.flush()]);
    for (let i = 0; i < 2; i++) await a.graphql(key.token, OK);
    await a.usage.flush();
    expect(await storedUsage(db.prisma, key.id)).toEqual([
      { day: new Date('2026-03-15T00:00:00Z'), requests: 10, errors: 1, rateLimited: 0 },
    ]);
    expect(await usageOf(b, key.id, '2026-03-15')).toEqual([
      { day: '2026-03-15', requests: 10, errors: 1, rateLimited: 0 },
    ]);
  });

  it('access tokens and the token exchange count for their key', async () => {
    clock = Date.parse('2026-03-16T10:00:00Z');
    const server = instance();
    const key = await newKey();
    const keyId = /^cgk_(\w{12})_/.exec(key.token)![1];
    const exchange = await server.fetch('/oauth/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${keyId}:${key.token}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(exchange.status).toBe(200);
    const { access_token } = (await exchange.json()) as { access_token: string };
    expect((await server.graphql(access_token, OK)).status).toBe(200);
    expect(await usageOf(server, key.id, '2026-03-16')).toEqual([
      { day: '2026-03-16', requests: 2, errors: 0, rateLimited: 0 },
    ]);
  });

  it('a failed flush keeps the counts for the next one, which stores them once', async () => {
    clock = Date.parse('2026-03-17T10:00:00Z');
    let failing = true;
    const flaky = {
      $executeRaw: (...args: unknown[]) =>
        failing
          ? Promise.reject(new Error('database down'))
          : (db.prisma.$executeRaw as (...a: unknown[]) => Promise<number>)(...args),
    } as unknown as PrismaClient;
    const usage = new UsageCounter(flaky, { logger: silent, autoFlush: false });
    const key = await newKey();
    const principal = { apiKeyId: key.id, organizationId: org.organizationId };
    usage.record(principal, now(), { error: false, rateLimited: false });
    await expect(usage.flush()).rejects.toThrow('database down');
    expect(usage.pendingBuckets).toBe(1);
    usage.record(principal, now(), { error: true, rateLimited: false });
    failing = false;
    await usage.close();
    expect(usage.pendingBuckets).toBe(0);
    expect(await storedUsage(db.prisma, key.id)).toEqual([
      { day: new Date('2026-03-17T00:00:00Z'), requests: 2, errors: 1, rateLimited: 0 },
    ]);
  });

  it('counts of a key deleted before the flush are dropped without blocking the others', async () => {
    clock = Date.parse('2026-03-18T10:00:00Z');
    const server = instance();
    const gone = await newKey();
    const kept = await newKey();
    await server.graphql(gone.token, OK);
    await server.graphql(kept.token, OK);
    await db.prisma.apiKey.delete({ where: { id: gone.id } });
    await server.usage.flush();
    expect(server.usage.pendingBuckets).toBe(0);
    expect((await storedUsage(db.prisma, kept.id)).map((row) => row.requests)).toEqual([1]);
    expect(await storedUsage(db.prisma, gone.id)).toEqual([]);
  });
});

describe('ApiKey.usage', () => {
  it('lists many keys with their usage in one statement', async () => {
    clock = Date.parse('2026-03-19T10:00:00Z');
    const server = instance();
    const query = `{ apiKeys(first: 50) { edges { node { keyId usage(since: "2026-03-01", until: "2026-03-31") { requests } } } } }`;
    const statementsFor = async () => {
      db.statements.length = 0;
      const res = await server.graphql(org.adminToken, query);
      expect(res.body.errors).toBeUndefined();
      return db.statements.filter((sql) => /ApiKeyUsage/.test(sql)).length;
    };
    const before = await statementsFor();
    for (let i = 0; i < 5; i++) await newKey();
    expect(await statementsFor()).toBe(before);
    expect(before).toBe(1);
  });

  it('refuses a range that ends before it starts or spans more than 366 days', async () => {
    const server = instance();
    const key = await newKey();
    const ask = (since: string, until: string) =>
      server.graphql(org.adminToken, USAGE, { id: globalId('ApiKey', key.id), since, until });
    const backwards = await ask('2026-03-10', '2026-03-09');
    expect(backwards.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(backwards.body.errors[0].message).toMatch(/until/);
    const tooLong = await ask('2025-01-01', '2026-01-02'); // 367 days
    expect(tooLong.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const leapYear = await ask('2028-01-01', '2028-12-31'); // 366 days
    expect(leapYear.body.errors).toBeUndefined();
    expect(leapYear.body.data.node.usage).toHaveLength(366);
    const notADate = await ask('2026-02-30', '2026-03-01');
    expect(notADate.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('is not visible to API keys', async () => {
    const server = instance();
    const key = await newKey();
    const res = await server.graphql(key.token, USAGE, {
      id: globalId('ApiKey', key.id),
      since: '2026-03-10',
      until: '2026-03-10',
    });
    expect(res.body.data?.node ?? null).toBeNull();
  });
});
