import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Prisma } from '../src/generated/prisma/client.ts';
import { createServer } from '../src/http/server.ts';
import { api } from '../src/schema.ts';
import { mutationDocument } from './support/mutations.ts';
import { apiKeyFixture, globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * The Idempotency-Key header: a mutation request repeated with the same key and body within
 * 24 hours gets the first answer and runs once; per principal, through the database.
 */

let server: TestServer;
let acme: OrganizationScenario;
let writer: { id: string; token: string };
let readOnly: { id: string; token: string };
let clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  acme = await organizationWith(server.db.prisma, 'Idempotent', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  const projectIds = [acme.projectIds[0]];
  writer = await apiKeyFixture(server.db.prisma, acme.organizationId, { projectIds, allowWrites: true });
  readOnly = await apiKeyFixture(server.db.prisma, acme.organizationId, { projectIds });
});
afterAll(() => server?.close());

const CREATE_CONTRACTOR = mutationDocument('createContractor', 'contractor { id name createdAt }');
const CREATE_PROJECT = mutationDocument('createProject', 'project { id code }');
let serial = 0;
const contractorInput = (name = `Sync contractor ${++serial}`) => ({
  input: { name, projectIds: [globalId('Project', acme.projectIds[0])] },
});
const contractors = () => server.db.prisma.contractor.count({ where: { organizationId: acme.organizationId } });
const withKey = (key: string) => ({ 'Idempotency-Key': key });
const send = (token: string, key: string, variables: Record<string, unknown>, query = CREATE_CONTRACTOR) =>
  server.graphql(token, query, variables, withKey(key));

describe('Idempotency-Key', () => {
  it('the same key and body again returns the first answer, marked as replayed, and writes once', async () => {
    const before = await contractors();
    const variables = contractorInput();
    const first = await send(writer.token, 'sync-1', variables);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send(writer.token, 'sync-1', variables);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await contractors()).toBe(before + 1);
  });

  it('a replay of a userErrors answer is the same answer, even if the request would now succeed', async () => {
    const code = `IDEM-${++serial}`;
    const first = await send(acme.adminToken, 'project-1', { input: { name: '  ', code } }, CREATE_PROJECT);
    expect(first.body.data.createProject.userErrors.map((e: { code: string }) => e.code)).toEqual(['BLANK']);
    const again = await send(acme.adminToken, 'project-1', { input: { name: '  ', code } }, CREATE_PROJECT);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('the same key with another body is BAD_USER_INPUT (400) and writes nothing', async () => {
    await send(writer.token, 'sync-2', contractorInput());
    const before = await contractors();
    const other = await send(writer.token, 'sync-2', contractorInput());
    expect(other.status).toBe(400);
    expect(other.body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(other.body.errors[0].message).toMatch(/different request/);
    expect(await contractors()).toBe(before);
  });

  it('the same variables in another key order are the same body', async () => {
    const name = `Reordered ${++serial}`;
    const projectIds = [globalId('Project', acme.projectIds[0])];
    const first = await send(writer.token, 'sync-3', { input: { name, projectIds } });
    const again = await send(writer.token, 'sync-3', { input: { projectIds, name } });
    expect(again.body).toEqual(first.body);
  });

  it('keys are per principal: another key using the same value runs its own request', async () => {
    const other = await apiKeyFixture(server.db.prisma, acme.organizationId, {
      projectIds: [acme.projectIds[0]],
      allowWrites: true,
    });
    const variables = contractorInput();
    const first = await send(writer.token, 'shared-value', variables);
    const before = await contractors();
    const second = await send(other.token, 'shared-value', variables);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.data.createContractor.contractor.id).not.toBe(first.body.data.createContractor.contractor.id);
    expect(await contractors()).toBe(before + 1);
  });

  it('a refused request (read-only key, FORBIDDEN) stores nothing: the key stays free', async () => {
    const res = await send(readOnly.token, 'refused-1', contractorInput());
    expect(res.status).toBe(403);
    expect(await server.db.prisma.idempotencyKey.count({ where: { key: 'refused-1' } })).toBe(0);
  });

  it.each([
    ['too long', 'k'.repeat(256)],
    ['with a space', 'two words'],
    ['not ASCII', 'clé'],
  ])('a key %s is BAD_USER_INPUT (400) and nothing runs', async (_case, key) => {
    const before = await contractors();
    const res = await server.graphql(writer.token, CREATE_CONTRACTOR, contractorInput(), withKey(key));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(await contractors()).toBe(before);
  });

  it('is ignored on a query', async () => {
    const res = await server.graphql(writer.token, '{ viewer { kind } }', undefined, withKey('query-1'));
    expect(res.status).toBe(200);
    expect(await server.db.prisma.idempotencyKey.count({ where: { key: 'query-1' } })).toBe(0);
  });

  it('two identical requests at once write once and both get the same answer', async () => {
    const before = await contractors();
    const variables = contractorInput();
    const [a, b] = await Promise.all([
      send(writer.token, 'race-1', variables),
      send(writer.token, 'race-1', variables),
    ]);
    expect(a.body).toEqual(b.body);
    expect(a.body.data.createContractor.contractor).toBeTruthy();
    expect(await contractors()).toBe(before + 1);
  });

  it('a repeat while the first still runs waits for its answer', async () => {
    const variables = contractorInput();
    const answer = { data: { createContractor: { contractor: null, userErrors: [] } } };
    // The first request, as another instance would have claimed it: no answer yet.
    const first = await server.graphql(writer.token, CREATE_CONTRACTOR, variables, withKey('running-1'));
    const row = await server.db.prisma.idempotencyKey.findFirstOrThrow({ where: { key: 'running-1' } });
    await server.db.prisma.idempotencyKey.update({ where: { id: row.id }, data: { response: Prisma.DbNull } });
    const repeat = send(writer.token, 'running-1', variables);
    await server.db.prisma.idempotencyKey.update({ where: { id: row.id }, data: { response: answer } });
    const res = await repeat;
    expect(res.body.data).toEqual(answer.data);
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    expect(first.body.data.createContractor.contractor).toBeTruthy();
  });

  it('a claim without an answer for over two minutes (its process died) is taken over and runs', async () => {
    const variables = contractorInput();
    await send(writer.token, 'abandoned-1', variables);
    const row = await server.db.prisma.idempotencyKey.findFirstOrThrow({ where: { key: 'abandoned-1' } });
    await server.db.prisma.idempotencyKey.update({
      where: { id: row.id },
      data: { response: Prisma.DbNull, createdAt: new Date(clock.getTime() - 3 * 60_000) },
    });
    const before = await contractors();
    const res = await send(writer.token, 'abandoned-1', variables);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(await contractors()).toBe(before + 1);
  });

  it('after 24 hours the key is free again', async () => {
    const variables = contractorInput();
    await send(writer.token, 'daily-1', variables);
    const before = await contractors();
    clock = new Date(clock.getTime() + 24 * 60 * 60 * 1000 + 1000);
    const res = await send(writer.token, 'daily-1', variables);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(await contractors()).toBe(before + 1);
  });

  it('another server instance on the same database replays the answer', async () => {
    const second = createServer({ db: server.db, api, logger: pino({ level: 'silent' }), now: () => clock });
    const variables = contractorInput();
    const first = await send(writer.token, 'instances-1', variables);
    const res = await second.fetch('http://crewgraph.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${writer.token}`,
        'idempotency-key': 'instances-1',
      },
      body: JSON.stringify({ query: CREATE_CONTRACTOR, variables }),
    });
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    expect(await res.json()).toEqual(first.body);
  });
});
