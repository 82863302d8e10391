import type { Prisma } from '../../generated/prisma/client.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import type { Arg } from '../../graphql/builder.ts';
import { rowId, type DecodedGlobalId } from '../../graphql/input-ids.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { CREATED_AT, sortableBy } from '../../graphql/ordering.ts';

type Ref = DecodedGlobalId | null | undefined;

/** `orderBy` of the lists of recognitions (the root list and the relations that share its filters). */
export const recognitionSorts = sortableBy(
  'Recognition',
  'recognitions',
  {
    ...CREATED_AT,
  },
  [{ id: 'desc' }],
);

/** Filters of `Query.recognitions` and the relations that list recognitions. */
export const recognitionFilterArgs = (arg: Arg) => ({
  orderBy: recognitionSorts.arg(arg),
  hashtag: arg.string({
    required: false,
    description: 'Only recognitions with this hashtag (a leading # is ignored).',
  }),
  projectId: arg.globalID({ for: ProjectRef, required: false }),
  since: arg({ type: 'DateTime', required: false, description: 'Created at or after this instant.' }),
  until: arg({ type: 'DateTime', required: false, description: 'Created before this instant.' }),
});

interface RecognitionFilter {
  hashtag?: string | null;
  projectId?: Ref;
  since?: Date | null;
  until?: Date | null;
}

function recognitionFilter(args: RecognitionFilter): Prisma.RecognitionWhereInput[] {
  const filters: Prisma.RecognitionWhereInput[] = [];
  const hashtag = args.hashtag?.replace(/^#/, '').toLowerCase();
  if (hashtag) filters.push({ hashtags: { has: hashtag } });
  if (args.projectId) filters.push({ projectId: rowId(args.projectId) });
  if (args.since || args.until)
    filters.push({ createdAt: { gte: args.since ?? undefined, lt: args.until ?? undefined } });
  return filters;
}

/** The recognitions the principal may see that match the filters. */
export const recognitionWhere = (principal: Principal, args: RecognitionFilter): Prisma.RecognitionWhereInput => ({
  AND: [scope.recognition(principal), ...recognitionFilter(args)],
});
