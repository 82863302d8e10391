import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { CREATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { feedbackFilterArgs, feedbackSorts, feedbackWhere } from './feedback.filters.ts';
import { FeedbackConnection, FeedbackTemplateConnection } from './feedback.type.ts';

const templateSorts = sortableBy(
  'FeedbackTemplate',
  'feedback templates',
  {
    NAME: { description: 'Name.', columns: ['name'] },
    ...CREATED_AT,
  },
  [{ name: 'asc' }, { id: 'asc' }],
);

builder.queryField('feedback', (t) =>
  scopedConnection(
    t,
    {
      type: 'Feedback',
      description:
        'Feedback the caller may see, newest first. An API key or a project admin sees the feedback of its ' +
        'projects; feedback tied to no project is for owners and admins only. Filters combine with AND.',
      authScopes: { read: 'FEEDBACK' },
      updatedSince: true,
      args: feedbackFilterArgs(t.arg),
      where: feedbackWhere,
      orderBy: feedbackSorts.orderOf,
    },
    FeedbackConnection,
  ),
);

builder.queryField('feedbackTemplates', (t) =>
  scopedConnection(
    t,
    {
      type: 'FeedbackTemplate',
      description: 'Feedback templates (for an API key: those used by feedback on its projects), by name.',
      authScopes: { read: 'FEEDBACK' },
      where: scope.feedbackTemplate,
      sortable: templateSorts,
    },
    FeedbackTemplateConnection,
  ),
);
