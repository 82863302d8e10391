import { builder } from '../../graphql/builder.ts';
import { scopedQuery } from '../../graphql/connections.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { recognitionFilterArgs, recognitionSorts, recognitionWhere } from './recognition.filters.ts';
import { RecognitionConnection } from './recognition.type.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { reaches } from '../../graphql/resources.ts';

/** `Project.recognitions`, `Person.recognitionsGiven` and `Person.recognitionsReceived`, newest first. */
builder.prismaObjectField(ProjectRef, 'recognitions', (t) =>
  relatedConnection(
    t,
    'recognitions',
    {
      ...reaches('RECOGNITIONS'),
      args: recognitionFilterArgs(t.arg),
      query: scopedQuery(recognitionWhere, recognitionSorts.orderOf),
    },
    RecognitionConnection,
  ),
);

builder.prismaObjectFields(PersonRef, (t) => {
  const options = {
    ...reaches('RECOGNITIONS'),
    args: recognitionFilterArgs(t.arg),
    query: scopedQuery(recognitionWhere, recognitionSorts.orderOf),
  };
  return {
    recognitionsGiven: relatedConnection(t, 'givenRecognitions', options, RecognitionConnection),
    recognitionsReceived: relatedConnection(t, 'receivedRecognitions', options, RecognitionConnection),
  };
});
