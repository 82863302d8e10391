import type { Prisma } from '../../generated/prisma/client.ts';
import type { RequestScope } from '../../core/request-scope.ts';

/** The record types whose deletions a sync can read (`Query.deletions`), by GraphQL type name. */
export const DELETED_TYPES = ['Goal', 'Milestone', 'Worker'] as const;
export type DeletedType = (typeof DELETED_TYPES)[number];

/**
 * Notes a deletion, in the transaction that deletes the record, with the projects the record
 * belonged to: a key or project admin reads the deletions in their projects.
 */
export async function recordDeletion(
  tx: Prisma.TransactionClient,
  ctx: RequestScope,
  type: DeletedType,
  recordId: string,
  projectIds: string[],
) {
  await tx.deletion.create({
    data: { organizationId: ctx.principal.organizationId, type, recordId, projectIds, deletedAt: ctx.now() },
  });
}
