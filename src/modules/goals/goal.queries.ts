import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { goalFilterArgs, goalSorts, goalWhere } from './goal.filters.ts';
import { GoalConnection } from './goal.type.ts';

builder.queryField('goals', (t) =>
  scopedConnection(
    t,
    {
      type: 'Goal',
      description: 'Goals in the visible projects, oldest first. Filters combine with AND.',
      authScopes: { read: 'GOALS' },
      updatedSince: true,
      args: goalFilterArgs(t.arg),
      where: goalWhere,
      orderBy: goalSorts.orderOf,
    },
    GoalConnection,
  ),
);
