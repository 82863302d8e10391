import { builder } from '../../graphql/builder.ts';
import { scopedQuery } from '../../graphql/connections.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { goalFilterArgs, goalSorts, goalWhere } from './goal.filters.ts';
import { GoalConnection } from './goal.type.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { reaches } from '../../graphql/resources.ts';

/** `Project.goals` and `Person.goals`: the goals module hangs its lists on the core types. */
builder.prismaObjectField(ProjectRef, 'goals', (t) =>
  relatedConnection(
    t,
    'goals',
    {
      ...reaches('GOALS'),
      args: goalFilterArgs(t.arg),
      query: scopedQuery(goalWhere, goalSorts.orderOf),
    },
    GoalConnection,
  ),
);

builder.prismaObjectField(PersonRef, 'goals', (t) =>
  relatedConnection(
    t,
    'ownedGoals',
    {
      ...reaches('GOALS'),
      description: 'Goals this person owns.',
      args: goalFilterArgs(t.arg),
      query: scopedQuery(goalWhere, goalSorts.orderOf),
    },
    GoalConnection,
  ),
);
