import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { recognitionFilterArgs, recognitionSorts, recognitionWhere } from './recognition.filters.ts';
import { RecognitionConnection } from './recognition.type.ts';

builder.queryField('recognitions', (t) =>
  scopedConnection(
    t,
    {
      type: 'Recognition',
      description: 'Recognitions in the visible projects, newest first. Filters combine with AND.',
      authScopes: { read: 'RECOGNITIONS' },
      args: recognitionFilterArgs(t.arg),
      where: recognitionWhere,
      orderBy: recognitionSorts.orderOf,
    },
    RecognitionConnection,
  ),
);
