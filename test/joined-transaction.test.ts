import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isExternalIdViolation } from '../src/core/external-id.ts';
import { isUniqueViolation } from '../src/core/user-errors.ts';
import { inOneTransaction, withSavepoint } from '../src/db/joined-transaction.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

/*
 * db/joined-transaction.ts: services that open their own transaction join the caller's
 * (bulk upserts run many of them all or nothing), and a savepoint lets a transaction go
 * on after a database error. Also: the unique violation of an externalId is told apart.
 */

let db: TestDatabase;
let organizationId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  organizationId = (await db.prisma.organization.create({ data: { name: 'Joined' } })).id;
});
afterAll(() => db?.drop());

const projects = () => db.prisma.project.count({ where: { organizationId } });

describe('inOneTransaction', () => {
  it('nested $transaction calls join the outer transaction: a later failure rolls everything back', async () => {
    const before = await projects();
    await expect(
      inOneTransaction(db.prisma, async (client) => {
        await client.$transaction(async (tx) =>
          tx.project.create({ data: { organizationId, name: 'A', code: 'J-A' } }),
        );
        // A second level of nesting joins as well.
        await client.$transaction((tx) =>
          tx.$transaction((inner) => inner.project.create({ data: { organizationId, name: 'B', code: 'J-B' } })),
        );
        expect(await client.project.count({ where: { organizationId } })).toBe(before + 2);
        throw new Error('give up');
      }),
    ).rejects.toThrow('give up');
    expect(await projects()).toBe(before);
  });

  it('commits when the body succeeds, and joins again when given a joined client', async () => {
    const before = await projects();
    await inOneTransaction(db.prisma, (client) =>
      inOneTransaction(client, (again) => again.project.create({ data: { organizationId, name: 'C', code: 'J-C' } })),
    );
    expect(await projects()).toBe(before + 1);
  });
});

describe('withSavepoint', () => {
  it('undoes a failed step, database errors included, and the transaction goes on', async () => {
    const before = await projects();
    await inOneTransaction(db.prisma, async (client) => {
      await withSavepoint(client, () => client.project.create({ data: { organizationId, name: 'D', code: 'J-D' } }));
      const duplicate = await withSavepoint(client, async () => {
        await client.project.create({ data: { organizationId, name: 'E', code: 'J-E' } });
        await client.project.create({ data: { organizationId, name: 'D again', code: 'J-D' } });
      }).catch((error: unknown) => error);
      expect(isUniqueViolation(duplicate)).toBe(true);
      // Still usable: E was undone, D stays.
      await client.project.create({ data: { organizationId, name: 'F', code: 'J-F' } });
    });
    const codes = (await db.prisma.project.findMany({ where: { organizationId }, select: { code: true } })).map(
      (p) => p.code,
    );
    expect(await projects()).toBe(before + 2);
    expect(codes).toEqual(expect.arrayContaining(['J-D', 'J-F']));
    expect(codes).not.toContain('J-E');
  });
});

describe('isExternalIdViolation', () => {
  it('is true for the (organizationId, externalId) index only', async () => {
    await db.prisma.project.create({ data: { organizationId, name: 'X', code: 'J-X', externalId: 'ext-1' } });
    const onExternalId = await db.prisma.project
      .create({ data: { organizationId, name: 'Y', code: 'J-Y', externalId: 'ext-1' } })
      .catch((error: unknown) => error);
    const onCode = await db.prisma.project
      .create({ data: { organizationId, name: 'Z', code: 'J-X', externalId: 'ext-2' } })
      .catch((error: unknown) => error);
    expect(isExternalIdViolation(onExternalId)).toBe(true);
    expect(isUniqueViolation(onCode)).toBe(true);
    expect(isExternalIdViolation(onCode)).toBe(false);
  });
});
