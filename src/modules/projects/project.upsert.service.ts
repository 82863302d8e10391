import type { Project } from '../../generated/prisma/client.ts';
import { changedFields, type FieldKind } from '../../core/external-id.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { upsertByExternalId } from '../sync/upsert.service.ts';
import { createProject, updateProject, type ProjectInput } from './project.service.ts';

export interface UpsertProjectInput extends ProjectInput {
  externalId: string;
  name: string;
  code: string;
}

/** How each field of the input compares with the stored project (core/external-id.ts). */
const FIELDS: Record<keyof Omit<ProjectInput, 'externalId'>, FieldKind> = {
  name: 'text',
  code: 'text',
  status: 'defaulted',
  addressLine1: 'optionalText',
  addressLine2: 'optionalText',
  city: 'optionalText',
  state: 'optionalText',
  zip: 'optionalText',
  country: 'optionalText',
  startsOn: 'date',
  endsOn: 'date',
};

/**
 * Creates the project with this externalId (createProject), or updates it with the fields
 * that differ (updateProject); a replay that changes nothing writes nothing.
 */
export function upsertProject(ctx: RequestScope, { externalId, ...input }: UpsertProjectInput) {
  return upsertByExternalId<Project, { project: Project }>(ctx, 'project', externalId, {
    create: (scoped, id) => createProject(scoped, { ...input, externalId: id }),
    update: async (scoped, stored) => {
      const changes = changedFields(stored, input, FIELDS);
      if (!Object.keys(changes).length) return { project: stored };
      return updateProject(scoped, stored.id, changes);
    },
  });
}
