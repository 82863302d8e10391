import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { relatedConnectionDefaults } from '../../graphql/connections.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { recognitionFilter, recognitionFilterArgs } from './recognition.filters.ts';
import { RecognitionConnection } from './recognition.type.ts';

/** `Project.recognitions`, `Person.recognitionsGiven` and `Person.recognitionsReceived`, newest first. */
builder.prismaObjectField(ProjectRef, 'recognitions', (t) =>
  t.relatedConnection(
    'recognitions',
    {
      ...relatedConnectionDefaults,
      args: recognitionFilterArgs(t.arg),
      query: (args, ctx) => ({
        where: { AND: [scope.recognition(ctx.principal), ...recognitionFilter(args)] },
        orderBy: { id: 'desc' },
      }),
    },
    RecognitionConnection,
  ),
);

builder.prismaObjectFields(PersonRef, (t) => ({
  recognitionsGiven: t.relatedConnection(
    'givenRecognitions',
    {
      ...relatedConnectionDefaults,
      args: recognitionFilterArgs(t.arg),
      query: (args, ctx) => ({
        where: { AND: [scope.recognition(ctx.principal), ...recognitionFilter(args)] },
        orderBy: { id: 'desc' },
      }),
    },
    RecognitionConnection,
  ),
  recognitionsReceived: t.relatedConnection(
    'receivedRecognitions',
    {
      ...relatedConnectionDefaults,
      args: recognitionFilterArgs(t.arg),
      query: (args, ctx) => ({
        where: { AND: [scope.recognition(ctx.principal), ...recognitionFilter(args)] },
        orderBy: { id: 'desc' },
      }),
    },
    RecognitionConnection,
  ),
}));
