import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { deletedIdField, payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { deleteWorker } from './worker-delete.service.ts';
import { WorkerRef } from './worker.type.ts';

builder.relayMutationField(
  'deleteWorker',
  { inputFields: (t) => ({ id: t.globalID({ for: WorkerRef, required: true }) }) },
  {
    description:
      'Deletes a worker with their qualifications (a worker who left the contractor); `deletions` reports it to syncs. Admins, and API keys that allow writes (workers of contractors on their projects; others are NOT_FOUND).',
    authScopes: { write: 'WORKERS' },
    resolve: (_root, { input }, ctx) => withUserErrors(() => deleteWorker(ctx, rowId(input.id))),
  },
  { outputFields: (t) => ({ ...payloadFields(t), ...deletedIdField(t, 'Worker') }) },
);
