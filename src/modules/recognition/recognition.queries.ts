import { scope } from '../../auth/scope.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { recognitionFilter, recognitionFilterArgs } from './recognition.filters.ts';
import { RecognitionConnection } from './recognition.type.ts';

builder.queryField('recognitions', (t) =>
  t.prismaConnection(
    {
      type: 'Recognition',
      cursor: 'id',
      description: 'Recognitions in the visible projects, newest first. Filters combine with AND.',
      authScopes: { authenticated: true },
      maxSize: pageSize,
      args: recognitionFilterArgs(t.arg),
      totalCount: (_parent, args, ctx) =>
        ctx.prisma.recognition.count({
          where: { AND: [scope.recognition(ctx.principal), ...recognitionFilter(args)] },
        }),
      resolve: (query, _parent, args, ctx) =>
        ctx.prisma.recognition.findMany({
          ...query,
          where: { AND: [scope.recognition(ctx.principal), ...recognitionFilter(args)] },
          orderBy: { id: 'desc' },
        }),
    },
    RecognitionConnection,
  ),
);
