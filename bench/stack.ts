// "The stack alone": graphql-yoga + Pothos (plugin-prisma, plugin-relay) + Prisma on the benchmark
// database, with the same field names, orders, global ids and executor as Crewgraph for the
// benchmark's shapes (select mode, reading only the columns they show), and nothing of Crewgraph's
// own per-request work: no authentication, API-key scope, query limits, rate limits, error
// contract, request ids, usage counting or logging. The organisation stands in for the tenant as a
// fixed root condition, as for PostGraphile. It answers Crewgraph's own requests (the
// Authorization header is ignored), so `npm run bench` and `bench/profile.ts --target stack` can
// set Crewgraph's figures beside the floor that the required libraries set.
//   DATABASE_URL=… ORGANIZATION_ID=… PORT=… node --import tsx bench/stack.ts   (STACK_DEBUG=1: unmasked errors)
import { createServer } from 'node:http';
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { DateResolver } from 'graphql-scalars';
import { createYoga } from 'graphql-yoga';
import { openDatabase } from '../src/db/database.ts';
import PrismaTypes, { getDatamodel } from '../src/generated/pothos-types.ts';
import { useGraphqlJsExecute } from '../src/http/execute.ts';
import { serve } from './serve.ts';

const organizationId = process.env.ORGANIZATION_ID!;
const db = await openDatabase({ url: process.env.DATABASE_URL, poolSize: Number(process.env.DB_POOL_SIZE ?? 10) });
const prisma = db.prisma;

const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: { Date: { Input: Date; Output: Date }; ID: { Input: string; Output: string } };
}>({
  plugins: [PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  prisma: { client: prisma, dmmf: getDatamodel(), filterConnectionTotalCount: true, onUnusedQuery: null },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    encodeGlobalID: (typename, id) => Buffer.from(`${typename}:${id}`).toString('base64url'),
    decodeGlobalID: (globalID) => {
      const [typename, id] = Buffer.from(globalID, 'base64url').toString('utf8').split(':');
      return { typename, id };
    },
  },
});
builder.addScalarType('Date', DateResolver);
builder.queryType({});
builder.mutationType({});

const ApprovalStatus = builder.enumType('ApprovalStatus', {
  values: ['NEW', 'PENDING', 'APPROVED', 'DENIED'] as const,
});
const QualificationStatus = builder.enumType('QualificationStatus', {
  values: ['VALID', 'EXPIRING', 'EXPIRED', 'REVOKED'] as const,
});
const GoalStatus = builder.enumType('GoalStatus', {
  values: ['NOT_STARTED', 'ON_TRACK', 'AT_RISK', 'BEHIND', 'COMPLETED', 'CANCELLED'] as const,
});
const byName = [{ name: 'asc' as const }, { id: 'asc' as const }];
const related = { cursor: 'id', totalCount: true } as const;

const Contractor = builder.prismaNode('Contractor', {
  id: { field: 'id' },
  select: {},
  fields: (t) => ({
    name: t.exposeString('name'),
    city: t.exposeString('city', { nullable: true }),
    approvalStatus: t.expose('approvalStatus', { type: ApprovalStatus }),
    tags: t.exposeStringList('tags'),
  }),
});
const Project = builder.prismaNode('Project', {
  id: { field: 'id' },
  select: {},
  fields: (t) => ({ name: t.exposeString('name'), code: t.exposeString('code') }),
});
const Worker = builder.prismaNode('Worker', {
  id: { field: 'id' },
  select: { firstName: true, lastName: true, trade: true },
  fields: (t) => ({
    firstName: t.string({ resolve: (w) => w.firstName }),
    lastName: t.string({ resolve: (w) => w.lastName }),
    trade: t.string({ nullable: true, resolve: (w) => w.trade }),
    qualifications: t.relation('qualifications', { nullable: true, query: { orderBy: byName } }),
  }),
});
builder.prismaNode('Qualification', {
  id: { field: 'id' },
  select: { name: true, status: true, expiresOn: true },
  fields: (t) => ({
    name: t.string({ resolve: (q) => q.name }),
    status: t.field({ type: QualificationStatus, resolve: (q) => q.status }),
    expiresOn: t.field({ type: 'Date', nullable: true, resolve: (q) => q.expiresOn }),
  }),
});
const Goal = builder.prismaObject('Goal', {
  fields: (t) => ({
    title: t.exposeString('title'),
    status: t.expose('status', { type: GoalStatus }),
    progress: t.exposeInt('progress'),
  }),
});

builder.prismaObjectFields(Contractor, (t) => ({
  projects: t.relatedConnection('projects', { ...related, query: { orderBy: byName } }),
  workers: t.relatedConnection('workers', {
    ...related,
    query: { orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }] },
  }),
}));
builder.prismaObjectFields(Project, (t) => ({
  contractors: t.relatedConnection('contractors', { ...related, query: { orderBy: byName } }),
}));

builder.queryFields((t) => ({
  contractors: t.prismaConnection({
    type: Contractor,
    cursor: 'id',
    args: { status: t.arg({ type: ApprovalStatus, required: false }) },
    totalCount: (_parent, args) =>
      prisma.contractor.count({ where: { organizationId, approvalStatus: args.status ?? undefined } }),
    resolve: (query, _parent, args) =>
      prisma.contractor.findMany({
        ...query,
        where: { organizationId, approvalStatus: args.status ?? undefined },
        orderBy: byName,
      }),
  }),
  projects: t.prismaConnection({
    type: Project,
    cursor: 'id',
    resolve: (query) => prisma.project.findMany({ ...query, where: { organizationId }, orderBy: byName }),
  }),
}));

const UserError = builder.objectRef<{ code: string }>('UserError').implement({
  fields: (t) => ({ code: t.exposeString('code') }),
});
const CreateGoalPayload = builder
  .objectRef<{ goal: { id: string } | null; userErrors: { code: string }[] }>('CreateGoalPayload')
  .implement({
    fields: (t) => ({
      goal: t.field({ type: Goal, nullable: true, resolve: (p) => p.goal as never }),
      userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
    }),
  });
const CreateGoalInput = builder.inputType('CreateGoalInput', {
  fields: (t) => ({
    projectId: t.globalID({ required: true }),
    ownerId: t.globalID({ required: true }),
    title: t.string({ required: true }),
    status: t.field({ type: GoalStatus, required: false }),
    progress: t.int({ required: false }),
  }),
});
builder.mutationField('createGoal', (t) =>
  t.field({
    type: CreateGoalPayload,
    args: { input: t.arg({ type: CreateGoalInput, required: true }) },
    resolve: async (_root, { input }) => ({
      goal: await prisma.goal.create({
        data: {
          organizationId,
          projectId: input.projectId.id,
          ownerId: input.ownerId.id,
          title: input.title,
          status: input.status ?? undefined,
          progress: input.progress ?? undefined,
        },
      }),
      userErrors: [],
    }),
  }),
);

const yoga = createYoga({
  schema: builder.toSchema(),
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
  logging: false,
  multipart: false,
  maxRequestBodySize: false,
  maskedErrors: process.env.STACK_DEBUG !== '1',
  plugins: [useGraphqlJsExecute()],
});
serve(createServer(yoga), 'stack', 5300, () => db.close());
