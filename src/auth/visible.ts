import type { RequestScope } from '../core/request-scope.ts';
import { notFound } from '../core/errors.ts';
import { UserErrors, userError } from '../core/user-errors.ts';
import { scope } from './scope.ts';

type ScopedModel = 'project' | 'contractor' | 'worker' | 'person' | 'goal' | 'conversation' | 'conversationTemplate';

const LABEL: Record<ScopedModel, string> = {
  project: 'Project',
  contractor: 'Contractor',
  worker: 'Worker',
  person: 'Person',
  goal: 'Goal',
  conversation: 'Conversation',
  conversationTemplate: 'Conversation template',
};

type IdDelegate = {
  findMany(args: { where: object; select: { id: true } }): Promise<{ id: string }[]>;
};

/** Of `ids`, those the principal may see (scope fragment of the model, one query). */
export async function visibleIds(ctx: RequestScope, model: ScopedModel, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const delegate = ctx.prisma[model] as unknown as IdDelegate;
  const where = { id: { in: ids }, AND: [scope[model](ctx.principal)] };
  const rows = await delegate.findMany({ where, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}

/**
 * Ids referenced by an input (e.g. `projectIds`) must all be visible; otherwise the
 * mutation answers a NOT_FOUND userError on that field, whether the row is in another
 * project, another organisation or nowhere, so existence does not leak.
 */
export async function requireVisible(ctx: RequestScope, model: ScopedModel, ids: string[], field: string[]) {
  const visible = await visibleIds(ctx, model, ids);
  const missing = [...new Set(ids)].filter((id) => !visible.has(id));
  if (missing.length) {
    throw new UserErrors([userError(field, 'NOT_FOUND', `${LABEL[model]} not found.`)]);
  }
}

/** The object a mutation acts on: a NOT_FOUND GraphQL error when the principal may not see it. */
export async function requireTarget(ctx: RequestScope, model: ScopedModel, id: string): Promise<void> {
  if (!(await visibleIds(ctx, model, [id])).has(id)) throw notFound(LABEL[model]);
}
