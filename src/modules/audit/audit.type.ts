import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { scope } from '../../auth/scope.ts';
import { toGlobalId } from '../../core/ids.ts';
import { ActorRef } from '../actors/actor.type.ts';
import { actorOf } from '../actors/actor.ts';
import type { GraphQLContext } from '../../graphql/context.ts';
import { projectsOutside } from './audit.visibility.ts';

export const AuditEventRef = builder.prismaNode('AuditEvent', {
  id: { field: 'id' },
  nullable: true,
  // Async: plugin-prisma's node loader awaits a promised `where` (a project admin's needs the organisation's projects).
  findUnique: (async (id: string, ctx: GraphQLContext) => ({
    id,
    AND: [scope.auditEvent(ctx.principal, await projectsOutside(ctx))],
  })) as never,
  description:
    "One change in the organisation's audit log: who (an admin or an API key), what, when, the fields before and after, and the request. Never a secret.",
  fields: (t) => ({
    action: t.exposeString('action', {
      description: '`<target>.<verb>`, e.g. `api_key.revoked`, `admin.updated`, `webhook_endpoint.created`.',
    }),
    targetType: t.exposeString('targetType', { description: 'The type of what changed, e.g. `ApiKey`.' }),
    targetId: t.id({
      nullable: true,
      description: 'The global id of what changed (it may since have been deleted).',
      resolve: (event) => (event.targetId ? toGlobalId(event.targetType, event.targetId) : null),
    }),
    actor: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who made the change; null for the system (a job, the command line, a migration).',
      resolve: (event, _args, ctx) => actorOf(ctx, { apiKeyId: event.actorApiKeyId, userId: event.actorUserId }),
    }),
    changes: t.expose('changes', {
      type: 'JSON',
      description: '`{ field: { before, after } }` of what changed, or what the action recorded (e.g. a reason).',
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'The X-Request-Id of the request that made the change.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const AuditEventConnection = connectionFor(AuditEventRef, 'AuditEvent');
