import { builder } from '../../graphql/builder.ts';
import { scopedQuery } from '../../graphql/connections.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { contractorFilterArgs, contractorOfVisibleProjectWhere, contractorSorts } from './contractor.filters.ts';
import { ContractorConnection } from './contractor.type.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { reaches } from '../../graphql/resources.ts';

/** `Project.contractors`, with the filters and ordering of `Query.contractors`. */
builder.prismaObjectField(ProjectRef, 'contractors', (t) =>
  relatedConnection(
    t,
    'contractors',
    {
      ...reaches('CONTRACTORS'),
      args: { ...contractorFilterArgs, orderBy: contractorSorts.arg(t.arg) },
      query: scopedQuery(contractorOfVisibleProjectWhere, contractorSorts.orderOf),
    },
    ContractorConnection,
  ),
);
