import type { Prisma } from '../../generated/prisma/client.ts';
import type { ConversationStatus } from '../../generated/prisma/enums.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import type { Arg } from '../../graphql/builder.ts';
import { ConversationStatusEnum } from '../../graphql/enums.ts';
import { rowId, type DecodedGlobalId } from '../../graphql/input-ids.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { ConversationTemplateRef } from './conversation.type.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';

type Ref = DecodedGlobalId | null | undefined;

/** `orderBy` of the lists of conversations (the root list and the relations that share its filters). */
export const conversationSorts = sortableBy(
  'Conversation',
  'conversations',
  {
    SCHEDULED_FOR: {
      description: 'When it is scheduled; unscheduled ones come last.',
      columns: ['scheduledFor'],
      nullable: true,
    },
    ...CREATED_AND_UPDATED_AT,
  },
  [{ id: 'asc' }],
);

/** Filters of `Query.conversations` and the relations that list conversations. */
export const conversationFilterArgs = (arg: Arg) => ({
  orderBy: conversationSorts.arg(arg),
  status: arg({ type: ConversationStatusEnum, required: false }),
  projectId: arg.globalID({ for: ProjectRef, required: false }),
  templateId: arg.globalID({ for: ConversationTemplateRef, required: false }),
});

interface ConversationFilter {
  status?: ConversationStatus | null;
  projectId?: Ref;
  templateId?: Ref;
}

function conversationFilter(args: ConversationFilter): Prisma.ConversationWhereInput[] {
  const filters: Prisma.ConversationWhereInput[] = [];
  if (args.status) filters.push({ status: args.status });
  if (args.projectId) filters.push({ projectId: rowId(args.projectId) });
  if (args.templateId) filters.push({ templateId: rowId(args.templateId) });
  return filters;
}

/** The conversations the principal may see that match the filters. */
export const conversationWhere = (principal: Principal, args: ConversationFilter): Prisma.ConversationWhereInput => ({
  AND: [scope.conversation(principal), ...conversationFilter(args)],
});
