import { builder } from '../../graphql/builder.ts';
import { RESOURCES, type Access, type Resource } from '../../core/permissions.ts';

const RESOURCE_DESCRIPTIONS: Record<Resource, string> = {
  PROJECTS: 'Projects (keys read them; only admins write them).',
  CONTRACTORS: 'Contractors, their approval status and their projects.',
  WORKERS: "Contractors' workers and their qualifications (qualifications also need canReadQualificationData).",
  PEOPLE: "The organisation's directory (writing it also needs canWritePeople).",
  GOALS: 'Goals with their milestones, comments, history and assessments.',
  CONVERSATIONS: 'Conversations and their templates (keys read them).',
  RECOGNITIONS: 'Recognitions (keys read them).',
  FEEDBACK: 'Feedback and its templates (keys read them).',
  CALIBRATION: 'Calibration cycles and talent records (keys read them).',
};

export const PermissionResourceEnum = builder.enumType('PermissionResource', {
  description: "A kind of the organisation's data that a key's permissions name.",
  values: Object.fromEntries(
    RESOURCES.map((resource) => [resource, { description: RESOURCE_DESCRIPTIONS[resource] }]),
  ) as Record<Resource, { description: string }>,
});

export const PermissionAccessEnum = builder.enumType('PermissionAccess', {
  description: 'What a key may do with a resource.',
  values: {
    NONE: {
      description: 'Nothing: its root fields are FORBIDDEN, and fields leading to it are null with a FORBIDDEN error.',
    },
    READ: { description: 'Read it (within the key’s projects).' },
    WRITE: { description: 'Read and write it (needs allowWrites; people also need canWritePeople).' },
  },
});

export interface PermissionShape {
  resource: Resource;
  access: Access;
}

export const ApiKeyPermissionRef = builder.objectRef<PermissionShape>('ApiKeyPermission').implement({
  description: 'The access a principal holds on one resource.',
  fields: (t) => ({
    resource: t.field({ type: PermissionResourceEnum, resolve: (p) => p.resource }),
    access: t.field({ type: PermissionAccessEnum, resolve: (p) => p.access }),
  }),
});

export const ApiKeyPermissionInput = builder.inputType('ApiKeyPermissionInput', {
  description: 'One entry of a key’s permissions list.',
  fields: (t) => ({
    resource: t.field({ type: PermissionResourceEnum, required: true }),
    access: t.field({ type: PermissionAccessEnum, required: true }),
  }),
});

/** Every resource with the access `accessOf` gives, in a stable order. */
export const permissionsOf = (accessOf: (resource: Resource) => Access): PermissionShape[] =>
  RESOURCES.map((resource) => ({ resource, access: accessOf(resource) }));
