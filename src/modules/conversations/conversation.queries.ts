import { scope } from '../../auth/scope.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { conversationFilter, conversationFilterArgs } from './conversation.filters.ts';
import { ConversationConnection, ConversationTemplateConnection } from './conversation.type.ts';

builder.queryField('conversations', (t) =>
  t.prismaConnection(
    {
      type: 'Conversation',
      cursor: 'id',
      description: 'Conversations in the visible projects, oldest first. Filters combine with AND.',
      authScopes: { authenticated: true },
      maxSize: pageSize,
      args: conversationFilterArgs(t.arg),
      totalCount: (_parent, args, ctx) =>
        ctx.prisma.conversation.count({
          where: { AND: [scope.conversation(ctx.principal), ...conversationFilter(args)] },
        }),
      resolve: (query, _parent, args, ctx) =>
        ctx.prisma.conversation.findMany({
          ...query,
          where: { AND: [scope.conversation(ctx.principal), ...conversationFilter(args)] },
          orderBy: { id: 'asc' },
        }),
    },
    ConversationConnection,
  ),
);

builder.queryField('conversationTemplates', (t) =>
  t.prismaConnection(
    {
      type: 'ConversationTemplate',
      cursor: 'id',
      description: 'Conversation templates (for an API key: those used in its projects), by name.',
      authScopes: { authenticated: true },
      maxSize: pageSize,
      totalCount: (_parent, _args, ctx) =>
        ctx.prisma.conversationTemplate.count({ where: scope.conversationTemplate(ctx.principal) }),
      resolve: (query, _parent, _args, ctx) =>
        ctx.prisma.conversationTemplate.findMany({
          ...query,
          where: scope.conversationTemplate(ctx.principal),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    ConversationTemplateConnection,
  ),
);
