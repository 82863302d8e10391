import { builder } from '../../graphql/builder.ts';
import { relatedConnectionDefaults, scopedQuery } from '../../graphql/connections.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { contractorFilterArgs, contractorOrder, ContractorOrder, contractorWhere } from './contractor.filters.ts';
import { ContractorConnection } from './contractor.type.ts';

/** `Project.contractors`, with the filters and ordering of `Query.contractors`. */
builder.prismaObjectField(ProjectRef, 'contractors', (t) =>
  t.relatedConnection(
    'contractors',
    {
      ...relatedConnectionDefaults,
      args: { ...contractorFilterArgs, orderBy: t.arg({ type: ContractorOrder, required: false }) },
      query: scopedQuery(contractorWhere, contractorOrder),
    },
    ContractorConnection,
  ),
);
