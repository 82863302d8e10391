import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { toGlobalId } from '../../core/ids.ts';
import { ActorRef } from '../actors/actor.type.ts';
import { actorOf } from '../actors/actor.ts';
import { GOAL_FIELDS, MILESTONE_FIELDS, type FieldChanges } from './goal-history.ts';
import { GoalRef } from './goal.type.ts';

export const GoalChangeKindEnum = builder.enumType('GoalChangeKind', {
  description: 'What a history entry of a goal records.',
  values: {
    CREATED: { description: 'The goal was created (with its milestones, if any).' },
    UPDATED: { description: "The goal's own fields changed." },
    MILESTONE_ADDED: { description: 'A milestone was added.' },
    MILESTONE_UPDATED: { description: 'A milestone was changed, completed or reopened.' },
    MILESTONE_REMOVED: { description: 'A milestone was removed (its fields are the `before` values).' },
  } as const,
});

interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Fields that hold a row id, shown as the global id of the type they name. */
const REFERENCES: Record<string, string> = { ownerId: 'Person', projectId: 'Project' };
const FIELD_ORDER: string[] = [...GOAL_FIELDS, 'milestones', ...MILESTONE_FIELDS];

const shown = (field: string, value: unknown) =>
  typeof value === 'string' && REFERENCES[field] ? toGlobalId(REFERENCES[field], value) : (value ?? null);

/** A stored `{ field: { before, after } }` object as a list, in a stable order. */
function fieldChanges(stored: unknown): FieldChange[] {
  const changes = (typeof stored === 'string' ? JSON.parse(stored) : (stored ?? {})) as FieldChanges;
  const rank = (field: string) => (FIELD_ORDER.includes(field) ? FIELD_ORDER.indexOf(field) : FIELD_ORDER.length);
  return Object.entries(changes)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([field, { before, after }]) => ({ field, before: shown(field, before), after: shown(field, after) }));
}

const GoalFieldChangeRef = builder.objectRef<FieldChange>('GoalFieldChange').implement({
  description: 'One field of a goal or milestone that a change set: its value before and after, as JSON.',
  fields: (t) => ({
    field: t.exposeString('field', {
      description:
        'The field: title, description, status, progress, startsOn, dueOn, ownerId, projectId, externalId (goals); title, dueOn, completedAt (milestones); milestones (the milestones a goal was created with).',
    }),
    before: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The value before (null: none). Days are YYYY-MM-DD, instants ISO 8601, ownerId and projectId global ids.',
      resolve: (change) => change.before,
    }),
    after: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The value after (null: none, e.g. cleared or removed), in the form of `before`.',
      resolve: (change) => change.after,
    }),
  }),
});

export const GoalChangeRef = builder.prismaObject('GoalChange', {
  description: 'One change to a goal or one of its milestones: who made it, when, and each field before and after.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "The entry's id (an entry is not a node)." }),
    kind: t.expose('kind', { type: GoalChangeKindEnum }),
    milestoneId: t.id({
      nullable: true,
      description: 'The milestone a MILESTONE_* entry concerns (kept after the milestone is removed); null otherwise.',
      resolve: (change) => (change.milestoneId ? toGlobalId('Milestone', change.milestoneId) : null),
    }),
    changes: t.field({
      type: [GoalFieldChangeRef],
      description: 'The fields that changed (for CREATED: the fields it was created with).',
      // At most every goal field and `milestones` (query cost).
      extensions: { listSize: GOAL_FIELDS.length + 1 },
      resolve: (change) => fieldChanges(change.changes),
    }),
    actor: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who made the change: the API key or the admin; null if that key or admin was deleted.',
      resolve: (change, _args, ctx) => actorOf(ctx, { apiKeyId: change.actorApiKeyId, userId: change.actorUserId }),
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'The id of the API request that made the change (the `X-Request-Id` header of its answer).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const GoalChangeConnection = connectionFor(GoalChangeRef, 'GoalChange');

builder.prismaObjectFields(GoalRef, (t) => ({
  history: relatedConnection(
    t,
    'changes',
    {
      description: 'Every change to the goal and its milestones, newest first. Readable by whoever sees the goal.',
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    },
    GoalChangeConnection,
  ),
}));
