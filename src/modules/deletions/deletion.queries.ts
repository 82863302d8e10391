import type { Prisma } from '../../generated/prisma/client.ts';
import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { DELETED_TYPES, type DeletedType } from './deletion.record.ts';
import { forbidden } from '../../core/errors.ts';
import { canRead } from '../../core/permissions.ts';
import type { Principal } from '../../core/principal.ts';
import { RESOURCE_OF_TYPE } from '../../graphql/resources.ts';
import { lacking } from '../../graphql/refusals.ts';
import { DeletedRecordTypeEnum, DeletionConnection, DeletionRef } from './deletion.type.ts';

/**
 * The kinds of deletions to list: those asked for, or all; a key lists only the kinds whose
 * resource it may read, and asking for another is FORBIDDEN. Null: every kind.
 */
function readableTypes(principal: Principal, asked: DeletedType[] | null | undefined): DeletedType[] | null {
  const refused = (type: DeletedType) => !canRead(principal, RESOURCE_OF_TYPE[type]!);
  const unreadable = asked?.find(refused);
  if (unreadable) throw forbidden(lacking(`Listing ${unreadable} deletions`, principal, RESOURCE_OF_TYPE[unreadable]!));
  if (asked) return asked;
  return DELETED_TYPES.some(refused) ? DELETED_TYPES.filter((type) => !refused(type)) : null;
}

builder.queryField('deletions', (t) =>
  scopedConnection(
    t,
    {
      type: DeletionRef,
      description:
        'Records deleted in the visible projects (goals, milestones, workers), oldest first, for a sync to remove from its copy. Resume from the last cursor, or ask again with `since`. A key lists the kinds whose resource it may read (GOALS, WORKERS).',
      authScopes: { authenticated: true },
      args: {
        since: t.arg({ type: 'DateTime', required: false, description: 'Only deletions at or after this instant.' }),
        types: t.arg({
          type: [DeletedRecordTypeEnum],
          required: false,
          description: 'Only these kinds of records; all when omitted.',
        }),
      },
      where: (principal, args): Prisma.DeletionWhereInput => {
        const types = readableTypes(principal, args.types as DeletedType[] | null | undefined);
        return {
          AND: [
            scope.deletion(principal),
            ...(args.since ? [{ deletedAt: { gte: args.since } }] : []),
            ...(types ? [{ type: { in: types } }] : []),
          ],
        };
      },
      orderBy: [{ deletedAt: 'asc' }, { id: 'asc' }],
    },
    DeletionConnection,
  ),
);
