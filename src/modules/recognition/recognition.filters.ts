import type { Prisma } from '../../generated/prisma/client.ts';
import type { Arg } from '../../graphql/builder.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { ProjectRef } from '../projects/project.type.ts';

type Ref = { id: unknown } | null | undefined;

/** Filters of `Query.recognitions` and the relations that list recognitions. */
export const recognitionFilterArgs = (arg: Arg) => ({
  hashtag: arg.string({
    required: false,
    description: 'Only recognitions with this hashtag (a leading # is ignored).',
  }),
  projectId: arg.globalID({ for: ProjectRef, required: false }),
  since: arg({ type: 'DateTime', required: false, description: 'Created at or after this instant.' }),
  until: arg({ type: 'DateTime', required: false, description: 'Created before this instant.' }),
});

export function recognitionFilter(args: {
  hashtag?: string | null;
  projectId?: Ref;
  since?: Date | null;
  until?: Date | null;
}): Prisma.RecognitionWhereInput[] {
  const filters: Prisma.RecognitionWhereInput[] = [];
  const hashtag = args.hashtag?.replace(/^#/, '').toLowerCase();
  if (hashtag) filters.push({ hashtags: { has: hashtag } });
  if (args.projectId) filters.push({ projectId: rowId(args.projectId) });
  if (args.since || args.until)
    filters.push({ createdAt: { gte: args.since ?? undefined, lt: args.until ?? undefined } });
  return filters;
}
