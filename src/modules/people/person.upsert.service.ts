import type { Person } from '../../generated/prisma/client.ts';
import { changedFields, type FieldKind } from '../../core/external-id.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { upsertEach } from '../sync/bulk-upsert.service.ts';
import { upsertByExternalId } from '../sync/upsert.service.ts';
import { createPerson, updatePerson, type CreatePersonInput } from './person.service.ts';

export interface UpsertPersonInput extends Omit<CreatePersonInput, 'externalId'> {
  externalId: string;
}

/** How the fields updatePerson changes compare with the stored person (core/external-id.ts). */
const FIELDS = {
  name: 'text',
  email: 'email',
  employeeId: 'optionalText',
  title: 'optionalText',
  department: 'optionalText',
  managerId: 'value',
} as const satisfies Partial<Record<keyof UpsertPersonInput, FieldKind>>;

/**
 * Creates the person with this externalId (createPerson), or updates the fields that
 * differ (updatePerson: the same uniqueness and management-chain rules). A replay writes nothing.
 */
export function upsertPerson(ctx: RequestScope, { externalId, ...input }: UpsertPersonInput) {
  return upsertByExternalId<Person, { person: Person }>(ctx, 'person', externalId, {
    create: (scoped, id) => createPerson(scoped, { ...input, externalId: id }),
    update: async (scoped, stored) => {
      const changes = changedFields(stored, input, FIELDS);
      if (!Object.keys(changes).length) return { person: stored };
      return updatePerson(scoped, stored.id, changes);
    },
  });
}

/** upsertPerson for up to 100 people, all or nothing (sync/bulk-upsert.service.ts). */
export async function upsertPeople(ctx: RequestScope, people: UpsertPersonInput[]) {
  const results = await upsertEach(ctx, 'people', people, upsertPerson);
  return { people: results.map((result) => result.person) };
}
