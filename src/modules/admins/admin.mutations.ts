import { builder } from '../../graphql/builder.ts';
import { AdminRoleEnum } from '../../graphql/enums.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId, rowIds } from '../../graphql/input-ids.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { AdminRef } from './admin.type.ts';
import { createAdminAccount, deactivateAdminAccount, updateAdminAccount } from './admin.service.ts';

const OWNER_ONLY = { owner: true } as const;

builder.relayMutationField(
  'createAdmin',
  {
    inputFields: (t) => ({
      email: t.field({
        type: 'EmailAddress',
        required: true,
        description: 'Unique among the organisation’s admins (compared and stored lower-case).',
      }),
      name: t.string({ required: false }),
      role: t.field({ type: AdminRoleEnum, required: true }),
      projectIds: t.globalIDList({
        for: ProjectRef,
        required: false,
        description: 'For a PROJECT_ADMIN: the projects they administer (at least one). None for OWNER and ADMIN.',
      }),
    }),
  },
  {
    description: 'Adds an admin to the organisation and returns their admin token, once. Owners only.',
    authScopes: OWNER_ONLY,
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => createAdminAccount(ctx, { ...input, projectIds: rowIds(input.projectIds) })),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { admin: AdminRef }),
      token: t.string({
        nullable: true,
        description: 'The admin token (cga_…). Shown only in this response: only its hash is kept.',
        resolve: (p) => p.token,
      }),
    }),
  },
);

builder.relayMutationField(
  'updateAdmin',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: AdminRef, required: true }),
      name: t.string({ required: false, description: 'Omit to keep, null to clear.' }),
      role: t.field({
        type: AdminRoleEnum,
        required: false,
        description: 'Omit to keep. The last active owner cannot be demoted (LAST_OWNER).',
      }),
      projectIds: t.globalIDList({
        for: ProjectRef,
        required: false,
        description:
          'Replaces a PROJECT_ADMIN’s projects (at least one). Omit to keep; a role other than PROJECT_ADMIN drops them.',
      }),
    }),
  },
  {
    description: "Changes an admin's name, role or projects. Omitted fields stay as they are. Owners only.",
    authScopes: OWNER_ONLY,
    resolve: (_root, { input: { id, projectIds, ...rest } }, ctx) =>
      withUserErrors(() => updateAdminAccount(ctx, rowId(id), { ...rest, projectIds: rowIds(projectIds) })),
  },
  { outputFields: (t) => payloadFields(t, { admin: AdminRef }) },
);

builder.relayMutationField(
  'deactivateAdmin',
  { inputFields: (t) => ({ id: t.globalID({ for: AdminRef, required: true }) }) },
  {
    description:
      'Deactivates an admin: their admin tokens stop working on the next request. The keys they created keep working (keys belong to the organisation). The last active owner cannot be deactivated (LAST_OWNER). Owners only.',
    authScopes: OWNER_ONLY,
    resolve: (_root, { input }, ctx) => withUserErrors(() => deactivateAdminAccount(ctx, rowId(input.id))),
  },
  { outputFields: (t) => payloadFields(t, { admin: AdminRef }) },
);
