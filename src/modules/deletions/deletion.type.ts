import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { toGlobalId } from '../../core/ids.ts';
import { DELETED_TYPES, type DeletedType } from './deletion.record.ts';

const enumName = (type: DeletedType) => type.replace(/[A-Z]/g, (letter, i) => (i ? '_' : '') + letter).toUpperCase();

export const DeletedRecordTypeEnum = builder.enumType('DeletedRecordType', {
  description: 'The kinds of records whose deletions `deletions` reports.',
  values: Object.fromEntries(
    DELETED_TYPES.map((type) => [enumName(type), { value: type, description: `A deleted \`${type}\`.` }]),
  ) as Record<string, { value: DeletedType; description: string }>,
});

export const DeletionRef = builder.prismaObject('Deletion', {
  description:
    'A record that was deleted: a copy kept elsewhere should remove it. Its id is the one `node` answered for it.',
  fields: (t) => ({
    recordId: t.id({
      description: 'The global id the deleted record had.',
      resolve: (deletion) => toGlobalId(deletion.type, deletion.recordId),
    }),
    type: t.field({ type: DeletedRecordTypeEnum, resolve: (deletion) => deletion.type as DeletedType }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime' }),
  }),
});

export const DeletionConnection = connectionFor(DeletionRef, 'Deletion');
