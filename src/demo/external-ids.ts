import type { Prisma } from '../generated/prisma/client.ts';

/**
 * The demo's records as an integration pushed them: people with their HR system's ids
 * (`hris-E1001`), projects with the ERP's job numbers, the first contractors with vendor
 * numbers and their workers and goals with the ids the other systems gave them, so
 * `personByExternalId(externalId: "hris-E1001")` and the upserts have something to find.
 */
export async function seedExternalIds(tx: Prisma.TransactionClient, organizationId: string) {
  for (const person of await tx.person.findMany({
    where: { organizationId },
    select: { id: true, employeeId: true },
  })) {
    if (person.employeeId) {
      await tx.person.update({ where: { id: person.id }, data: { externalId: `hris-${person.employeeId}` } });
    }
  }
  for (const project of await tx.project.findMany({ where: { organizationId }, select: { id: true, code: true } })) {
    await tx.project.update({ where: { id: project.id }, data: { externalId: `erp-job-${project.code}` } });
  }
  const contractors = await tx.contractor.findMany({
    where: { organizationId },
    orderBy: { name: 'asc' },
    take: 3,
    select: { id: true, workers: { select: { id: true }, orderBy: { id: 'asc' } } },
  });
  for (const [c, contractor] of contractors.entries()) {
    await tx.contractor.update({ where: { id: contractor.id }, data: { externalId: `vendor-${2001 + c}` } });
    for (const [w, worker] of contractor.workers.entries()) {
      await tx.worker.update({ where: { id: worker.id }, data: { externalId: `badge-${2001 + c}-${w + 1}` } });
    }
  }
  const goals = await tx.goal.findMany({ where: { organizationId }, orderBy: { id: 'asc' }, select: { id: true } });
  for (const [g, goal] of goals.entries()) {
    await tx.goal.update({ where: { id: goal.id }, data: { externalId: `okr-${101 + g}` } });
  }
}
