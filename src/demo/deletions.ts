import type { Prisma } from '../generated/prisma/client.ts';

/**
 * A worker who left the first demo project's first contractor, deleted as `deleteWorker` does
 * it, so `deletions` shows a sync something to remove.
 */
export async function seedDeletions(tx: Prisma.TransactionClient, organizationId: string, projectId: string) {
  const contractor = await tx.contractor.findFirstOrThrow({
    where: { organizationId, projects: { some: { id: projectId } } },
    orderBy: { name: 'asc' },
    select: { id: true, projects: { select: { id: true } } },
  });
  const leaver = await tx.worker.create({
    data: { organizationId, contractorId: contractor.id, firstName: 'Casey', lastName: 'Departed', trade: 'Laborer' },
  });
  await tx.worker.delete({ where: { id: leaver.id } });
  await tx.deletion.create({
    data: {
      organizationId,
      type: 'Worker',
      recordId: leaver.id,
      projectIds: contractor.projects.map((project) => project.id),
      deletedAt: new Date('2026-11-30T17:00:00Z'),
    },
  });
}
