import type { Prisma } from '../../generated/prisma/client.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import type { GraphQLContext } from '../../graphql/context.ts';
import { AuditEventConnection, AuditEventRef } from './audit.type.ts';
import { projectsOutside } from './audit.visibility.ts';

/** A global id argument as the relay plugin decodes it. */
interface GlobalId {
  typename: string;
  id: string;
}

interface AuditFilter {
  since?: Date | null;
  until?: Date | null;
  actorId?: GlobalId | null;
  action?: string | null;
  targetType?: string | null;
  targetId?: GlobalId | null;
}

/** An actor id names an admin or an API key; any other type matches nothing. */
function actorFilter(actor: GlobalId): Prisma.AuditEventWhereInput {
  if (actor.typename === 'Admin') return { actorUserId: actor.id };
  if (actor.typename === 'ApiKey') return { actorApiKeyId: actor.id };
  return { id: { in: [] } };
}

async function auditWhere(principal: Principal, args: AuditFilter, ctx: GraphQLContext) {
  const filters: Prisma.AuditEventWhereInput[] = [scope.auditEvent(principal, await projectsOutside(ctx))];
  if (args.since || args.until)
    filters.push({ createdAt: { gte: args.since ?? undefined, lt: args.until ?? undefined } });
  if (args.actorId) filters.push(actorFilter(args.actorId));
  if (args.action) filters.push({ action: args.action.trim() });
  if (args.targetType) filters.push({ targetType: args.targetType.trim() });
  if (args.targetId) filters.push({ targetType: args.targetId.typename, targetId: args.targetId.id });
  return { AND: filters } satisfies Prisma.AuditEventWhereInput;
}

builder.queryField('auditEvents', (t) =>
  scopedConnection(
    t,
    {
      type: AuditEventRef,
      description:
        "The organisation's audit log, newest first: key lifecycle, admin management, webhook endpoints and settings. Owners and admins read all of it; a project admin the events wholly inside their projects (their keys' too). Filters combine with AND.",
      authScopes: { admin: true },
      args: {
        since: t.arg({ type: 'DateTime', required: false, description: 'At or after this instant.' }),
        until: t.arg({ type: 'DateTime', required: false, description: 'Before this instant.' }),
        actorId: t.arg.globalID({ required: false, description: 'The id of an Admin or an ApiKey who acted.' }),
        action: t.arg.string({ required: false, description: 'Exactly this action, e.g. `api_key.revoked`.' }),
        targetType: t.arg.string({ required: false, description: 'Exactly this type, e.g. `ApiKey`.' }),
        targetId: t.arg.globalID({ required: false, description: 'Only events about this object.' }),
      },
      where: auditWhere,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    },
    AuditEventConnection,
  ),
);
