import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.ts';
import { whereSql } from '../src/graphql/where-sql.ts';
import { organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * graphql/where-sql.ts turns the column conditions of a Prisma `where` into SQL for the page
 * statements of nested connections. Each condition here must select exactly the rows Prisma
 * selects for it, on both databases; a condition it does not know is refused, never dropped.
 */

let server: TestServer;
let org: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  org = await organizationWith(server.db.prisma, 'Where', { projects: 2, contractorsPerProject: 6 });
  await server.db.prisma.contractor.create({
    data: { organizationId: org.organizationId, name: '50% off_sale', city: null, tags: ['odd', 'union'] },
  });
});
afterAll(() => server?.close());

const since = new Date(Date.now() - 60_000);
const conditions: Record<string, object> = {
  equality: { approvalStatus: 'APPROVED', autoApprove: false },
  null: { city: null },
  'not null': { city: { not: null } },
  not: { approvalStatus: { not: 'APPROVED' } },
  in: { approvalStatus: { in: ['PENDING', 'DENIED'] } },
  'empty in': { id: { in: [] } },
  comparisons: { name: { gte: 'Where contractor 0-002', lt: 'Where contractor 1-004' } },
  dates: { createdAt: { gte: since } },
  has: { tags: { has: 'union' } },
  'contains, insensitive': { name: { contains: 'CONTRACTOR 1', mode: 'insensitive' } },
  'contains with a wildcard, as Prisma': { name: { contains: '%' } },
  'AND / OR': { OR: [{ city: 'Boise', AND: [{ approvalStatus: 'PENDING' }] }, { tags: { has: 'odd' } }] },
  keyset: {
    OR: [
      { name: { gt: 'Where contractor 0-003' } },
      { name: 'Where contractor 0-003', id: { gt: '00000000-0000-0000-0000-000000000000' } },
    ],
  },
};

describe('whereSql', () => {
  for (const [label, condition] of Object.entries(conditions)) {
    it(`selects what Prisma selects: ${label}`, async () => {
      const where = { AND: [{ organizationId: org.organizationId }, condition] };
      const prisma = server.db.prisma;
      const expected = (await prisma.contractor.findMany({ where, select: { id: true } })).map((row) => row.id).sort();
      const sql = whereSql(where, 'c');
      expect(sql).not.toBeNull();
      const rows = await prisma.$queryRaw<{ id: string }[]>(
        Prisma.sql`SELECT c.id::text AS id FROM "Contractor" c WHERE ${sql!}`,
      );
      expect(rows.map((row) => row.id).sort()).toEqual(expected);
    });
  }

  it('refuses what it has no SQL for: relation conditions and unknown operators', () => {
    expect(whereSql({ projects: { some: { id: { in: ['x'] } } } }, 'c')).toBeNull();
    expect(whereSql({ AND: [{ organizationId: 'x' }, { contractor: { name: 'a' } }] }, 'c')).toBeNull();
    expect(whereSql({ name: { startsWith: 'a' } }, 'c')).toBeNull();
    expect(whereSql({ OR: [] }, 'c')).toBeNull();
    expect(whereSql({ name: { equals: 'a', mode: 'insensitive' } }, 'c')).toBeNull();
    expect(whereSql({ 'name"; DROP TABLE x; --': 'a' }, 'c')).toBeNull();
  });
});
