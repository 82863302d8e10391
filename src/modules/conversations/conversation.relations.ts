import { builder } from '../../graphql/builder.ts';
import { scopedQuery } from '../../graphql/connections.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { conversationFilterArgs, conversationSorts, conversationWhere } from './conversation.filters.ts';
import { ConversationConnection, ConversationTemplateRef } from './conversation.type.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { reaches } from '../../graphql/resources.ts';

/**
 * The relations that list conversations, with the filters of `Query.conversations`:
 * `Project.conversations`, `Person.conversations` and `ConversationTemplate.conversations`
 * (here rather than in conversation.type.ts, whose template type the filters name).
 */
builder.prismaObjectField(ProjectRef, 'conversations', (t) =>
  relatedConnection(
    t,
    'conversations',
    {
      ...reaches('CONVERSATIONS'),
      args: conversationFilterArgs(t.arg),
      query: scopedQuery(conversationWhere, conversationSorts.orderOf),
    },
    ConversationConnection,
  ),
);

builder.prismaObjectField(PersonRef, 'conversations', (t) =>
  relatedConnection(
    t,
    'conversations',
    {
      ...reaches('CONVERSATIONS'),
      description: 'Conversations this person takes part in.',
      args: conversationFilterArgs(t.arg),
      query: scopedQuery(conversationWhere, conversationSorts.orderOf),
    },
    ConversationConnection,
  ),
);

builder.prismaObjectField(ConversationTemplateRef, 'conversations', (t) =>
  relatedConnection(
    t,
    'conversations',
    {
      description: 'Conversations held with this template.',
      args: conversationFilterArgs(t.arg),
      query: scopedQuery(conversationWhere, conversationSorts.orderOf),
    },
    ConversationConnection,
  ),
);
