import { builder } from '../../graphql/builder.ts';
import { relatedConnectionDefaults, scopedQuery } from '../../graphql/connections.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { recognitionFilterArgs, recognitionOrder, recognitionWhere } from './recognition.filters.ts';
import { RecognitionConnection } from './recognition.type.ts';

/** `Project.recognitions`, `Person.recognitionsGiven` and `Person.recognitionsReceived`, newest first. */
builder.prismaObjectField(ProjectRef, 'recognitions', (t) =>
  t.relatedConnection(
    'recognitions',
    {
      ...relatedConnectionDefaults,
      args: recognitionFilterArgs(t.arg),
      query: scopedQuery(recognitionWhere, recognitionOrder),
    },
    RecognitionConnection,
  ),
);

builder.prismaObjectFields(PersonRef, (t) => {
  const options = {
    ...relatedConnectionDefaults,
    args: recognitionFilterArgs(t.arg),
    query: scopedQuery(recognitionWhere, recognitionOrder),
  };
  return {
    recognitionsGiven: t.relatedConnection('givenRecognitions', options, RecognitionConnection),
    recognitionsReceived: t.relatedConnection('receivedRecognitions', options, RecognitionConnection),
  };
});
