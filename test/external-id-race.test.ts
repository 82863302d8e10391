import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { AdminPrincipal } from '../src/core/principal.ts';
import type { RequestScope } from '../src/core/request-scope.ts';
import { UserErrors } from '../src/core/user-errors.ts';
import { createAdmin } from '../src/modules/admins/admin.service.ts';
import {
  createContractor,
  createWorker,
  updateContractor,
  updateWorker,
} from '../src/modules/contractors/contractor.service.ts';
import { createGoal, updateGoal } from '../src/modules/goals/goal.service.ts';
import { createPerson, updatePerson } from '../src/modules/people/person.service.ts';
import { createProject, updateProject } from '../src/modules/projects/project.service.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

/*
 * A race on an externalId lost to another request: the services' own check saw the value
 * free, then the unique index refused it (P2002, or ON CONFLICT for the one-statement goal
 * insert). The answer is the same TAKEN userError as the check's, never an internal error.
 * The other request is played by a client whose reads cannot see the clashing externalId
 * (every read that names externalId finds nothing), so the insert or update meets the index.
 */

let db: TestDatabase;
let ctx: RequestScope;
const ids = { project: '', contractor: '', worker: '', person: '', goal: '' };

/** Reads naming externalId find nothing (the check before the write misses the clash). */
function blindToExternalIds<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === '$transaction') {
        return (body: (tx: object) => Promise<unknown>) =>
          (target as unknown as PrismaClient).$transaction((tx) => body(blindToExternalIds(tx)));
      }
      if (typeof value !== 'object' || value === null || !('findMany' in value)) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return new Proxy(value, {
        get(delegate, method) {
          const call = Reflect.get(delegate, method, delegate) as (...args: unknown[]) => unknown;
          if (method !== 'count' && method !== 'findMany')
            return typeof call === 'function' ? call.bind(delegate) : call;
          return (args: unknown) =>
            JSON.stringify(args ?? {}).includes('externalId')
              ? Promise.resolve(method === 'count' ? 0 : [])
              : call.call(delegate, args);
        },
      });
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const admin = await createAdmin(db.prisma, { organizationName: 'Racers', email: 'owner@racers.test' });
  const user = await db.prisma.user.findFirstOrThrow({ where: { organizationId: admin.organizationId } });
  const principal: AdminPrincipal = {
    kind: 'ADMIN',
    organizationId: admin.organizationId,
    userId: user.id,
    role: 'OWNER',
    projectIds: null,
    tokenId: 't',
  };
  ctx = { prisma: blindToExternalIds(db.prisma), principal, now: () => new Date(), requestId: 'race' };
  const plain = { ...ctx, prisma: db.prisma };
  ids.project = (await createProject(plain, { name: 'P', code: 'P', externalId: 'taken' })).project.id;
  ids.contractor = (
    await createContractor(plain, { name: 'C', projectIds: [ids.project], externalId: 'taken' })
  ).contractor.id;
  ids.worker = (
    await createWorker(plain, { contractorId: ids.contractor, firstName: 'W', lastName: 'W', externalId: 'taken' })
  ).worker.id;
  ids.person = (await createPerson(plain, { name: 'A', email: 'a@racers.test', externalId: 'taken' })).person.id;
  ids.goal = (
    await createGoal(plain, { projectId: ids.project, ownerId: ids.person, title: 'G', externalId: 'taken' })
  ).goal!.id;
});
afterAll(() => db?.drop());

async function expectTaken(write: () => Promise<unknown>) {
  const error = await write().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserErrors);
  expect((error as UserErrors).errors.map((e) => [e.field, e.code])).toEqual([[['input', 'externalId'], 'TAKEN']]);
}

describe('an externalId race lost to another request is TAKEN', () => {
  it('(the blinded client misses the clash, in and out of transactions)', async () => {
    expect(await ctx.prisma.project.count({ where: { externalId: 'taken' } })).toBe(0);
    expect(await ctx.prisma.$transaction((tx) => tx.person.findMany({ where: { externalId: 'taken' } }))).toEqual([]);
    expect(await ctx.prisma.project.count({ where: { code: 'P' } })).toBe(1);
  });

  it('on create', async () => {
    await expectTaken(() => createProject(ctx, { name: 'P2', code: 'P2', externalId: 'taken' }));
    await expectTaken(() => createContractor(ctx, { name: 'C2', projectIds: [ids.project], externalId: 'taken' }));
    await expectTaken(() =>
      createWorker(ctx, { contractorId: ids.contractor, firstName: 'W', lastName: 'W2', externalId: 'taken' }),
    );
    await expectTaken(() => createPerson(ctx, { name: 'B', email: 'b@racers.test', externalId: 'taken' }));
    // The one-statement insert (ON CONFLICT) and the one with milestones.
    await expectTaken(() =>
      createGoal(ctx, { projectId: ids.project, ownerId: ids.person, title: 'G2', externalId: 'taken' }),
    );
    await expectTaken(() =>
      createGoal(ctx, {
        projectId: ids.project,
        ownerId: ids.person,
        title: 'G3',
        externalId: 'taken',
        milestones: [{ title: 'M' }],
      }),
    );
  });

  it('on update', async () => {
    const plain = { ...ctx, prisma: db.prisma };
    const project = (await createProject(plain, { name: 'Q', code: 'Q' })).project.id;
    const contractor = (await createContractor(plain, { name: 'D', projectIds: [project] })).contractor.id;
    const worker = (await createWorker(plain, { contractorId: contractor, firstName: 'V', lastName: 'V' })).worker.id;
    const person = (await createPerson(plain, { name: 'E', email: 'e@racers.test' })).person.id;
    const goal = (await createGoal(plain, { projectId: project, ownerId: person, title: 'H' })).goal!.id;
    await expectTaken(() => updateProject(ctx, project, { externalId: 'taken' }));
    await expectTaken(() => updateContractor(ctx, contractor, { externalId: 'taken' }));
    await expectTaken(() => updateWorker(ctx, worker, { externalId: 'taken' }));
    await expectTaken(() => updatePerson(ctx, person, { externalId: 'taken' }));
    await expectTaken(() => updateGoal(ctx, goal, { externalId: 'taken' }));
    // Nothing was written.
    const counts = await Promise.all([
      db.prisma.project.count({ where: { externalId: 'taken' } }),
      db.prisma.contractor.count({ where: { externalId: 'taken' } }),
      db.prisma.worker.count({ where: { externalId: 'taken' } }),
      db.prisma.person.count({ where: { externalId: 'taken' } }),
      db.prisma.goal.count({ where: { externalId: 'taken' } }),
    ]);
    expect(counts).toEqual([1, 1, 1, 1, 1]);
  });
});
