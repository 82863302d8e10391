import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { conversationFilterArgs, conversationSorts, conversationWhere } from './conversation.filters.ts';
import { ConversationConnection, ConversationTemplateConnection } from './conversation.type.ts';
import { CREATED_AT, sortableBy } from '../../graphql/ordering.ts';

const templateSorts = sortableBy(
  'ConversationTemplate',
  'conversation templates',
  {
    NAME: { description: 'Name.', columns: ['name'] },
    ...CREATED_AT,
  },
  [{ name: 'asc' }, { id: 'asc' }],
);

builder.queryField('conversations', (t) =>
  scopedConnection(
    t,
    {
      type: 'Conversation',
      description: 'Conversations in the visible projects, oldest first. Filters combine with AND.',
      authScopes: { read: 'CONVERSATIONS' },
      updatedSince: true,
      args: conversationFilterArgs(t.arg),
      where: conversationWhere,
      orderBy: conversationSorts.orderOf,
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
      authScopes: { read: 'CONVERSATIONS' },
      where: scope.conversationTemplate,
      sortable: templateSorts,
    },
    ConversationTemplateConnection,
  ),
);
