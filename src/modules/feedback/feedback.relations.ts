import { builder } from '../../graphql/builder.ts';
import { scopedQuery } from '../../graphql/connections.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { GoalRef } from '../goals/goal.type.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { feedbackFilterArgs, feedbackSorts, feedbackWhere } from './feedback.filters.ts';
import { FeedbackConnection, FeedbackTemplateRef } from './feedback.type.ts';
import { reaches } from '../../graphql/resources.ts';

/**
 * The relations that list feedback, newest first, with the filters of `Query.feedback`:
 * `Person.feedbackReceived`, `Person.feedbackGiven`, `Project.feedback`, `Goal.feedback`
 * and `FeedbackTemplate.feedback`.
 */
builder.prismaObjectFields(PersonRef, (t) => {
  const options = {
    ...reaches('FEEDBACK'),
    args: feedbackFilterArgs(t.arg),
    query: scopedQuery(feedbackWhere, feedbackSorts.orderOf),
  };
  return {
    feedbackReceived: relatedConnection(
      t,
      'feedbackReceived',
      { ...options, description: 'Feedback about this person that the caller may see.' },
      FeedbackConnection,
    ),
    feedbackGiven: relatedConnection(
      t,
      'feedbackGiven',
      { ...options, description: 'Feedback this person gave that the caller may see.' },
      FeedbackConnection,
    ),
  };
});

builder.prismaObjectField(ProjectRef, 'feedback', (t) =>
  relatedConnection(
    t,
    'feedback',
    {
      ...reaches('FEEDBACK'),
      description: 'Feedback tied to this project.',
      args: feedbackFilterArgs(t.arg),
      query: scopedQuery(feedbackWhere, feedbackSorts.orderOf),
    },
    FeedbackConnection,
  ),
);

builder.prismaObjectField(GoalRef, 'feedback', (t) =>
  relatedConnection(
    t,
    'feedback',
    {
      ...reaches('FEEDBACK'),
      description: 'Feedback about this goal that the caller may see.',
      args: feedbackFilterArgs(t.arg),
      query: scopedQuery(feedbackWhere, feedbackSorts.orderOf),
    },
    FeedbackConnection,
  ),
);

builder.prismaObjectField(FeedbackTemplateRef, 'feedback', (t) =>
  relatedConnection(
    t,
    'feedback',
    {
      description: 'Feedback given with this template that the caller may see.',
      args: feedbackFilterArgs(t.arg),
      query: scopedQuery(feedbackWhere, feedbackSorts.orderOf),
    },
    FeedbackConnection,
  ),
);
