import { scope } from '../../auth/scope.ts';
import { checkExternalId, externalIdOutOfReach } from '../../core/external-id.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors } from '../../core/user-errors.ts';
import { inOneTransaction } from '../../db/joined-transaction.ts';

/** The models with an externalId. */
export type ExternalIdModel = 'project' | 'contractor' | 'worker' | 'person' | 'goal';

interface FindFirst {
  findFirst(args: object): Promise<unknown>;
}

export interface UpsertSteps<Row, Result> {
  /** Creates the record through the create service (the trimmed externalId given). */
  create(ctx: RequestScope, externalId: string): Promise<Result>;
  /** Updates the stored record through the update service, or returns it when nothing differs. */
  update(ctx: RequestScope, stored: Row): Promise<Result>;
  /** Prisma's `include` or `select` for the stored row (what `update` compares). */
  read?: object;
}

/**
 * An upsert keyed by externalId, in one transaction that the services it calls join:
 * the organisation's record with this externalId is updated when the caller may see it
 * (scope.<model>), refused as TAKEN when it is outside the caller's access (a key's
 * projects), and created when there is none. `created` says which.
 */
export async function upsertByExternalId<Row, Result extends object>(
  ctx: RequestScope,
  model: ExternalIdModel,
  rawExternalId: string,
  steps: UpsertSteps<Row, Result>,
): Promise<Result & { created: boolean }> {
  const check = new InputCheck();
  const externalId = checkExternalId(check, rawExternalId);
  check.throwIfAny();
  return inOneTransaction(ctx.prisma, async (prisma) => {
    const scoped: RequestScope = { ...ctx, prisma };
    const delegate = prisma[model] as unknown as FindFirst;
    const { organizationId } = ctx.principal;
    const existing = (await delegate.findFirst({ where: { organizationId, externalId }, select: { id: true } })) as {
      id: string;
    } | null;
    if (!existing) return { ...(await steps.create(scoped, externalId)), created: true };
    const visible = scope[model](ctx.principal) as object;
    const stored = (await delegate.findFirst({
      ...steps.read,
      where: { id: existing.id, AND: [visible] },
    })) as Row | null;
    if (!stored) throw new UserErrors([externalIdOutOfReach()]);
    return { ...(await steps.update(scoped, stored)), created: false };
  });
}
