import type { Prisma } from '../../generated/prisma/client.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import type { Arg } from '../../graphql/builder.ts';
import { rowId, type DecodedGlobalId } from '../../graphql/input-ids.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { FeedbackTemplateRef } from './feedback.type.ts';

type Ref = DecodedGlobalId | null | undefined;

/** `orderBy` of the lists of feedback (the root list and the relations that share its filters). */
export const feedbackSorts = sortableBy('Feedback', 'feedback', { ...CREATED_AND_UPDATED_AT }, [{ id: 'desc' }]);

/**
 * Filters of `Query.feedback` and the relations that list feedback. Every row listed is one
 * the caller sees, so a filter naming a template, person or project outside the caller's
 * reach matches nothing, exactly like an id that does not exist.
 */
export const feedbackFilterArgs = (arg: Arg) => ({
  orderBy: feedbackSorts.arg(arg),
  templateId: arg.globalID({
    for: FeedbackTemplateRef,
    required: false,
    description: 'Only feedback answering this template.',
  }),
  subjectId: arg.globalID({ for: PersonRef, required: false, description: 'Only feedback about this person.' }),
  giverId: arg.globalID({ for: PersonRef, required: false, description: 'Only feedback given by this person.' }),
  projectId: arg.globalID({ for: ProjectRef, required: false, description: 'Only feedback tied to this project.' }),
  since: arg({ type: 'DateTime', required: false, description: 'Given at or after this instant.' }),
  until: arg({ type: 'DateTime', required: false, description: 'Given before this instant.' }),
});

interface FeedbackFilter {
  templateId?: Ref;
  subjectId?: Ref;
  giverId?: Ref;
  projectId?: Ref;
  since?: Date | null;
  until?: Date | null;
}

function feedbackFilter(args: FeedbackFilter): Prisma.FeedbackWhereInput[] {
  const filters: Prisma.FeedbackWhereInput[] = [];
  if (args.templateId) filters.push({ templateId: rowId(args.templateId) });
  if (args.subjectId) filters.push({ subjectId: rowId(args.subjectId) });
  if (args.giverId) filters.push({ giverId: rowId(args.giverId) });
  if (args.projectId) filters.push({ projectId: rowId(args.projectId) });
  if (args.since || args.until)
    filters.push({ createdAt: { gte: args.since ?? undefined, lt: args.until ?? undefined } });
  return filters;
}

/** The feedback the principal may see that matches the filters. */
export const feedbackWhere = (principal: Principal, args: FeedbackFilter): Prisma.FeedbackWhereInput => ({
  AND: [scope.feedback(principal), ...feedbackFilter(args)],
});
