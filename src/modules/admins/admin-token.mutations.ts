import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { AdminTokenRef } from './admin-token.type.ts';
import { MAX_ADMIN_TOKEN_NAME_LENGTH, createAdminToken, revokeAdminToken } from './admin-token.service.ts';

builder.relayMutationField(
  'createAdminToken',
  {
    inputFields: (t) => ({
      name: t.string({
        required: true,
        description: `What the token is for (1 to ${MAX_ADMIN_TOKEN_NAME_LENGTH} characters), e.g. "laptop" or "nightly export".`,
      }),
      expiresAt: t.field({
        type: 'DateTime',
        required: false,
        description:
          'When the token stops working; a future instant (NOT_IN_FUTURE otherwise). Omit for a token that does not expire, unless the organisation caps admin-token lifetime: then it is required and at most that far away (POLICY).',
      }),
    }),
  },
  {
    description: 'Makes a new admin token for the calling admin and returns it, once. Any admin, for themselves only.',
    authScopes: { admin: true },
    resolve: (_root, { input }, ctx) => withUserErrors(() => createAdminToken(ctx, input)),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { adminToken: AdminTokenRef }),
      token: t.string({
        nullable: true,
        description: 'The token (cga_…). Shown only in this response: store it now, only its hash is kept.',
        resolve: (p) => p.token,
      }),
    }),
  },
);

builder.relayMutationField(
  'revokeAdminToken',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: AdminTokenRef, required: true, description: 'The admin token to revoke.' }),
    }),
  },
  {
    description:
      "Revokes an admin token: from the next request on it is refused (UNAUTHENTICATED) on every instance; the admin's other tokens keep working. An admin revokes their own tokens (the one of this request too), an owner any admin's; anything else is NOT_FOUND. Revoking a revoked token returns it unchanged.",
    authScopes: { admin: true },
    resolve: (_root, { input }, ctx) => withUserErrors(() => revokeAdminToken(ctx, rowId(input.id))),
  },
  { outputFields: (t) => payloadFields(t, { adminToken: AdminTokenRef }) },
);
