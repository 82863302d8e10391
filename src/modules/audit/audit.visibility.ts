import { projectRestriction } from '../../auth/scope.ts';
import type { RequestScope } from '../../core/request-scope.ts';

/**
 * For a project admin, the organisation's projects that are not theirs: scope.auditEvent shows
 * them only the events none of whose projects is among these. Nothing to read for anyone else.
 */
export async function projectsOutside({ prisma, principal }: RequestScope): Promise<string[] | undefined> {
  const mine = principal.kind === 'ADMIN' ? projectRestriction(principal) : null;
  if (!mine) return undefined;
  const others = await prisma.project.findMany({
    where: { organizationId: principal.organizationId, id: { notIn: mine } },
    select: { id: true },
  });
  return others.map((project) => project.id);
}
