import { scope } from '../../auth/scope.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { MAX_RECEIVERS } from './recognition.service.ts';
import { emptyWithoutRead, reaches } from '../../graphql/resources.ts';

export const RecognitionRef = builder.prismaNode('Recognition', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.recognition(ctx.principal)] }),
  description: 'Praise from one person to others on a project. Read-only for API keys.',
  fields: (t) => ({
    message: t.exposeString('message'),
    hashtags: t.exposeStringList('hashtags'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    giver: t.relation('giver', reaches('PEOPLE')),
    receivers: t.relation('receivers', {
      description: 'Empty for an API key without READ on PEOPLE (the list is never null).',
      ...emptyWithoutRead('PEOPLE', [{ name: 'asc' }, { id: 'asc' }], { listSize: MAX_RECEIVERS }),
    }),
    project: t.relation('project', reaches('PROJECTS')),
  }),
});

export const RecognitionConnection = connectionFor(RecognitionRef, 'Recognition');
