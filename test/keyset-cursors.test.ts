import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * Root connections page by keyset (docs/api.md, "Ids, lists and pages"): a cursor holds the
 * position in the ordering, never a row to look up, so rows changed, deleted or inserted
 * between pages cannot make a client skip or repeat another row, and a cursor tells nothing
 * about rows the caller cannot see.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Keyset', { projects: 1, contractorsPerProject: 0 });
  other = await organizationWith(server.db.prisma, 'Elsewhere', { projects: 1, contractorsPerProject: 2 });
});
afterAll(() => server?.close());

const CONTRACTORS = `query ($tag: String, $first: Int, $after: String, $last: Int, $before: String, $orderBy: ContractorOrder) {
  contractors(tag: $tag, first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

interface Page {
  names: string[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
}

async function contractors(variables: Record<string, unknown>, token = acme.adminToken): Promise<Page> {
  const res = await server.graphql(token, CONTRACTORS, variables);
  expect(res.body.errors).toBeUndefined();
  const c = res.body.data.contractors;
  return { names: c.edges.map((e: any) => e.node.name), pageInfo: c.pageInfo };
}

async function addContractors(names: string[], tags: string[] = []) {
  const { organizationId } = acme;
  await server.db.prisma.contractor.createMany({ data: names.map((name) => ({ organizationId, name, tags })) });
}

async function errorOf(variables: Record<string, unknown>, query = CONTRACTORS) {
  const res = await server.graphql(acme.adminToken, query, variables);
  expect(res.body.data ?? null).toBeNull();
  return res.body.errors[0];
}

describe('keyset cursors: rows changed between pages', () => {
  it('a re-tagged row at the cursor does not hide the next one (tag filter, by name)', async () => {
    await addContractors(['PG-1', 'PG-2', 'PG-3', 'PG-4', 'PG-5'], ['pg']);
    const first = await contractors({ tag: 'pg', first: 2 });
    expect(first.names).toEqual(['PG-1', 'PG-2']);
    await server.db.prisma.contractor.updateMany({
      where: { organizationId: acme.organizationId, name: 'PG-2' },
      data: { tags: [] },
    });
    const next = await contractors({ tag: 'pg', first: 2, after: first.pageInfo.endCursor });
    expect(next.names).toEqual(['PG-3', 'PG-4']);
    expect(next.pageInfo.hasNextPage).toBe(true);
  });

  it('a deleted row at the cursor changes nothing, forwards and backwards', async () => {
    await addContractors(['DEL-1', 'DEL-2', 'DEL-3', 'DEL-4', 'DEL-5'], ['del']);
    const first = await contractors({ tag: 'del', first: 2 });
    await server.db.prisma.contractor.deleteMany({ where: { organizationId: acme.organizationId, name: 'DEL-2' } });
    const next = await contractors({ tag: 'del', first: 10, after: first.pageInfo.endCursor });
    expect(next.names).toEqual(['DEL-3', 'DEL-4', 'DEL-5']);
    expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const last = await contractors({ tag: 'del', last: 1 });
    expect(last.names).toEqual(['DEL-5']);
    await server.db.prisma.contractor.deleteMany({ where: { organizationId: acme.organizationId, name: 'DEL-5' } });
    const before = await contractors({ tag: 'del', last: 10, before: last.pageInfo.startCursor });
    expect(before.names).toEqual(['DEL-1', 'DEL-3', 'DEL-4']);
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('a renamed row at the cursor keeps its old position for the next page, and rows inserted after it appear', async () => {
    await addContractors(['REN-1', 'REN-2', 'REN-4'], ['ren']);
    const first = await contractors({ tag: 'ren', first: 2 });
    expect(first.names).toEqual(['REN-1', 'REN-2']);
    await server.db.prisma.contractor.updateMany({
      where: { organizationId: acme.organizationId, name: 'REN-2' },
      data: { name: 'REN-9' },
    });
    await addContractors(['REN-3'], ['ren']);
    const next = await contractors({ tag: 'ren', first: 10, after: first.pageInfo.endCursor });
    expect(next.names).toEqual(['REN-3', 'REN-4', 'REN-9']);
  });

  it.each(['ASC', 'DESC'])('orders by CREATED_AT %s and resumes after the cursor', async (direction) => {
    const tag = `time-${direction}`;
    await addContractors(['TIME-a', 'TIME-b', 'TIME-c', 'TIME-d'], [tag]);
    const orderBy = { field: 'CREATED_AT', direction };
    const all = await contractors({ tag, first: 10, orderBy });
    const first = await contractors({ tag, first: 2, orderBy });
    const rest = await contractors({ tag, first: 10, orderBy, after: first.pageInfo.endCursor });
    expect([...first.names, ...rest.names]).toEqual(all.names);
    expect(all.names).toHaveLength(4);
  });
});

describe('keyset cursors: what a cursor may be', () => {
  it('refuses a cursor in the old format, or one built by hand from another organisation’s row', async () => {
    const foreign = Buffer.from(`GPC:S:${other.contractorIds[0]}`).toString('base64');
    expect((await errorOf({ first: 2, after: foreign })).extensions.code).toBe('BAD_USER_INPUT');
    expect((await errorOf({ last: 2, before: foreign })).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses malformed cursors', async () => {
    for (const after of ['', 'nonsense', 'cgc1:', 'cgc1:e30', `cgc1:${Buffer.from('[1,2]').toString('base64url')}`]) {
      expect((await errorOf({ first: 2, after })).extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a cursor of another ordering or another connection', async () => {
    const byName = await contractors({ first: 1 });
    const error = await errorOf({ first: 1, after: byName.pageInfo.endCursor, orderBy: { field: 'CREATED_AT' } });
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    const people = await server.graphql(acme.adminToken, '{ people(first: 1) { pageInfo { endCursor } } }');
    const peopleCursor = people.body.data.people.pageInfo.endCursor;
    expect((await errorOf({ first: 1, after: peopleCursor })).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('a cursor naming a position among another organisation’s rows shows only the caller’s rows', async () => {
    const theirs = await contractors({ first: 1 }, other.adminToken);
    const mine = await contractors({ first: 100 });
    const after = await contractors({ first: 100, after: theirs.pageInfo.endCursor });
    // Their cursor is a position in the ordering, nothing more: the page is our own rows after it.
    expect(after.names.every((name) => mine.names.includes(name))).toBe(true);
  });
});

describe('keyset cursors: a long walk while rows change', () => {
  const pad = (n: number) => String(n).padStart(3, '0');

  it.each(['forwards', 'backwards'])(
    '%s over 200 rows in pages of 7, deleting and updating between pages: every row that stayed appears once, in order',
    async (way) => {
      const tag = `walk-${way}`;
      await addContractors(
        Array.from({ length: 200 }, (_, i) => `${tag}-${pad(i)}`),
        [tag],
      );
      const stayed = new Set(Array.from({ length: 200 }, (_, i) => `${tag}-${pad(i)}`));
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const p: Page =
          way === 'forwards'
            ? await contractors({ tag, first: 7, after: cursor })
            : await contractors({ tag, last: 7, before: cursor });
        if (way === 'forwards') seen.push(...p.names);
        else seen.unshift(...p.names);
        const more = way === 'forwards' ? p.pageInfo.hasNextPage : p.pageInfo.hasPreviousPage;
        if (!more) break;
        cursor = way === 'forwards' ? p.pageInfo.endCursor : p.pageInfo.startCursor;
        // Between pages: delete the row at the cursor and one ahead, and touch another ahead.
        const edge = way === 'forwards' ? p.names.at(-1)! : p.names[0];
        const index = Number(edge.slice(-3));
        const ahead = way === 'forwards' ? index + 3 : index - 3;
        const touched = way === 'forwards' ? index + 5 : index - 5;
        for (const name of [edge, `${tag}-${pad(ahead)}`]) stayed.delete(name);
        await server.db.prisma.contractor.deleteMany({
          where: { organizationId: acme.organizationId, name: { in: [edge, `${tag}-${pad(ahead)}`] } },
        });
        await server.db.prisma.contractor.updateMany({
          where: { organizationId: acme.organizationId, name: `${tag}-${pad(touched)}` },
          data: { city: 'Elsewhere' },
        });
      }
      const survivors = seen.filter((name) => stayed.has(name));
      expect(survivors).toEqual([...stayed].sort());
      expect(new Set(seen).size).toBe(seen.length);
    },
  );
});

describe('updatedSince: an incremental sync', () => {
  it('lists only rows changed at or after the instant, walked by UPDATED_AT with cursors, on every list that has it', async () => {
    await addContractors(['SYNC-old-1', 'SYNC-old-2', 'SYNC-new-1', 'SYNC-new-2', 'SYNC-new-3'], ['sync']);
    const since = new Date('2030-01-01T00:00:00.000Z');
    await server.db.prisma.contractor.updateMany({
      where: { organizationId: acme.organizationId, name: { startsWith: 'SYNC-new' } },
      data: { updatedAt: since },
    });
    const query = `query ($since: DateTime, $after: String) {
      contractors(tag: "sync", updatedSince: $since, orderBy: { field: UPDATED_AT }, first: 2, after: $after) {
        totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    const first = await server.graphql(acme.adminToken, query, { since: since.toISOString() });
    expect(first.body.data.contractors.totalCount).toBe(3);
    const second = await server.graphql(acme.adminToken, query, {
      since: since.toISOString(),
      after: first.body.data.contractors.pageInfo.endCursor,
    });
    const names = [...first.body.data.contractors.edges, ...second.body.data.contractors.edges].map(
      (e: any) => e.node.name,
    );
    expect(names.sort()).toEqual(['SYNC-new-1', 'SYNC-new-2', 'SYNC-new-3']);
    expect(second.body.data.contractors.pageInfo.hasNextPage).toBe(false);

    for (const list of ['projects', 'workers', 'people', 'goals', 'apiKeys', 'webhookEndpoints']) {
      const res = await server.graphql(
        acme.adminToken,
        `query ($since: DateTime) { ${list}(updatedSince: $since) { totalCount } }`,
        { since: '2999-01-01T00:00:00.000Z' },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data[list].totalCount).toBe(0);
    }
  });
});
