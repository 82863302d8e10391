import type { RequestScope } from '../../core/request-scope.ts';
import { notFound } from '../../core/errors.ts';
import { scope } from '../../auth/scope.ts';
import { recordDeletion } from '../deletions/deletion.record.ts';

/**
 * Deletes a worker with their qualifications (the foreign keys cascade) and notes the deletion
 * for syncs, with the projects of the worker's contractor. The worker is locked and read again
 * under scope, so a worker moved out of the principal's reach meanwhile is NOT_FOUND.
 */
export async function deleteWorker(ctx: RequestScope, id: string) {
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Worker"
      WHERE id = ${id}::uuid AND "organizationId" = ${ctx.principal.organizationId}::uuid FOR UPDATE`;
    const worker = await tx.worker.findFirst({
      where: { id, AND: [scope.worker(ctx.principal)] },
      select: { contractor: { select: { projects: { select: { id: true } } } } },
    });
    if (!worker) throw notFound('Worker');
    await tx.worker.delete({ where: { id } });
    await recordDeletion(
      tx,
      ctx,
      'Worker',
      id,
      worker.contractor.projects.map((project) => project.id),
    );
    return { deletedWorkerId: id };
  });
}
