import { builder } from '../../graphql/builder.ts';
import { relatedConnectionDefaults, scopedQuery } from '../../graphql/connections.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { goalFilterArgs, goalOrder, goalWhere } from './goal.filters.ts';
import { GoalConnection } from './goal.type.ts';

/** `Project.goals` and `Person.goals`: the goals module hangs its lists on the core types. */
builder.prismaObjectField(ProjectRef, 'goals', (t) =>
  t.relatedConnection(
    'goals',
    {
      ...relatedConnectionDefaults,
      args: goalFilterArgs(t.arg),
      query: scopedQuery(goalWhere, goalOrder),
    },
    GoalConnection,
  ),
);

builder.prismaObjectField(PersonRef, 'goals', (t) =>
  t.relatedConnection(
    'ownedGoals',
    {
      ...relatedConnectionDefaults,
      description: 'Goals this person owns.',
      args: goalFilterArgs(t.arg),
      query: scopedQuery(goalWhere, goalOrder),
    },
    GoalConnection,
  ),
);
