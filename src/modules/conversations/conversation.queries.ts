import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { conversationFilterArgs, conversationOrder, conversationWhere } from './conversation.filters.ts';
import { ConversationConnection, ConversationTemplateConnection } from './conversation.type.ts';

builder.queryField('conversations', (t) =>
  scopedConnection(
    t,
    {
      type: 'Conversation',
      description: 'Conversations in the visible projects, oldest first. Filters combine with AND.',
      authScopes: { authenticated: true },
      args: conversationFilterArgs(t.arg),
      where: conversationWhere,
      orderBy: conversationOrder,
    },
    ConversationConnection,
  ),
);

builder.queryField('conversationTemplates', (t) =>
  scopedConnection(
    t,
    {
      type: 'ConversationTemplate',
      description: 'Conversation templates (for an API key: those used in its projects), by name.',
      authScopes: { authenticated: true },
      where: scope.conversationTemplate,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    },
    ConversationTemplateConnection,
  ),
);
