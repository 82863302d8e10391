import type { Prisma } from '../../generated/prisma/client.ts';
import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import type { DeletedType } from './deletion.record.ts';
import { DeletedRecordTypeEnum, DeletionConnection, DeletionRef } from './deletion.type.ts';

builder.queryField('deletions', (t) =>
  scopedConnection(
    t,
    {
      type: DeletionRef,
      description:
        'Records deleted in the visible projects (goals, milestones, workers), oldest first, for a sync to remove from its copy. Resume from the last cursor, or ask again with `since`.',
      authScopes: { authenticated: true },
      args: {
        since: t.arg({ type: 'DateTime', required: false, description: 'Only deletions at or after this instant.' }),
        types: t.arg({
          type: [DeletedRecordTypeEnum],
          required: false,
          description: 'Only these kinds of records; all when omitted.',
        }),
      },
      where: (principal, args): Prisma.DeletionWhereInput => ({
        AND: [
          scope.deletion(principal),
          ...(args.since ? [{ deletedAt: { gte: args.since } }] : []),
          ...(args.types ? [{ type: { in: args.types as DeletedType[] } }] : []),
        ],
      }),
      orderBy: [{ deletedAt: 'asc' }, { id: 'asc' }],
    },
    DeletionConnection,
  ),
);
