import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { relatedConnectionDefaults } from '../../graphql/connections.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { contractorFilter, contractorFilterArgs, contractorOrder, ContractorOrder } from './contractor.filters.ts';
import { ContractorConnection } from './contractor.type.ts';

/** `Project.contractors`, with the filters and ordering of `Query.contractors`. */
builder.prismaObjectField(ProjectRef, 'contractors', (t) =>
  t.relatedConnection(
    'contractors',
    {
      ...relatedConnectionDefaults,
      args: { ...contractorFilterArgs, orderBy: t.arg({ type: ContractorOrder, required: false }) },
      query: (args, ctx) => ({
        where: { AND: [scope.contractor(ctx.principal), ...contractorFilter(args)] },
        orderBy: contractorOrder(args.orderBy),
      }),
    },
    ContractorConnection,
  ),
);
