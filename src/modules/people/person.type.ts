import { personFilterArgs, personSorts, personWhere } from './person.filters.ts';
import { scope } from '../../auth/scope.ts';
import { connectionFor, scopedQuery } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';

export const PersonRef = builder.prismaNode('Person', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.person(ctx.principal)] }),
  description: "A member of the organisation's people directory.",
  fields: (t) => ({
    employeeId: t.exposeString('employeeId', { nullable: true }),
    name: t.exposeString('name'),
    email: t.expose('email', { type: 'EmailAddress' }),
    title: t.exposeString('title', { nullable: true }),
    department: t.exposeString('department', { nullable: true }),
    externalId: t.exposeString('externalId', { nullable: true, description: EXTERNAL_ID.field }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField(PersonRef, 'manager', (t) =>
  t.field({
    type: PersonRef,
    nullable: true,
    description: 'Null when there is none or it is outside what the caller may see.',
    resolve: (person, _args, ctx) => (person.managerId ? ctx.loaders.visiblePerson.load(person.managerId) : null),
  }),
);

export const PersonConnection = connectionFor(PersonRef, 'Person');

builder.prismaObjectFields(PersonRef, (t) => ({
  reports: relatedConnection(
    t,
    'reports',
    {
      args: personFilterArgs(t.arg),
      query: scopedQuery(personWhere, personSorts.orderOf),
    },
    PersonConnection,
  ),
}));
