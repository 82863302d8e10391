import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId, rowIds } from '../../graphql/input-ids.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { MAX_HASHTAGS, MAX_RECEIVERS, createRecognition } from './recognition.service.ts';
import { RecognitionRef } from './recognition.type.ts';

builder.relayMutationField(
  'createRecognition',
  {
    inputFields: (t) => ({
      projectId: t.globalID({ for: ProjectRef, required: true }),
      giverId: t.globalID({ for: PersonRef, required: true }),
      receiverIds: t.globalIDList({
        for: PersonRef,
        required: true,
        description: `1–${MAX_RECEIVERS} people, not the giver.`,
      }),
      message: t.string({ required: true }),
      hashtags: t.stringList({
        required: false,
        description: `At most ${MAX_HASHTAGS}; a leading "#" is dropped, stored lower-case and de-duplicated.`,
      }),
    }),
  },
  {
    description: 'Records praise from one person to others on a project. Admins only (read-only for every API key).',
    authScopes: { admin: true },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        createRecognition(ctx, {
          ...input,
          projectId: rowId(input.projectId),
          giverId: rowId(input.giverId),
          receiverIds: rowIds(input.receiverIds),
        }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { recognition: RecognitionRef }) },
);
