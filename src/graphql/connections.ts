import type { FieldRef, InputFieldMap, InputShapeFromFields, ObjectRef } from '@pothos/core';
import { getRefFromModel, queryFromInfo, type PrismaObjectRef } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { AuthScopeMap } from '@pothos/plugin-scope-auth';
import type { Principal } from '../core/principal.ts';
import { builder, type Arg, type BuilderTypes } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { columnsOf, pageOf, planPage, type Ordering } from './keyset.ts';
import type { Sortable } from './ordering.ts';

type TotalCount = number | (() => number | Promise<number>) | undefined;

/**
 * One `XConnection` / `XEdge` pair per node type, shared by the root field and every
 * relation that lists X, so clients can reuse fragments. `totalCount` is only computed
 * when selected (the Prisma plugin reads the `pothosPrismaTotalCount` marker).
 */
export function connectionFor<T>(ref: ObjectRef<any, T>, name: string) {
  return builder.connectionObject(
    {
      type: ref,
      name: `${name}Connection`,
      fields: (t) => ({
        totalCount: t.int({
          description: 'Number of items matching the filters, across all pages.',
          extensions: { pothosPrismaTotalCount: true },
          resolve: async (connection) => {
            const totalCount = (connection as unknown as { totalCount: TotalCount }).totalCount;
            return (typeof totalCount === 'function' ? await totalCount() : totalCount) ?? 0;
          },
        }),
      }),
    },
    { name: `${name}Edge` },
  );
}

/**
 * The `query` of a relation connection that lists with a root field's filters: the related
 * rows the principal may see that match the arguments, in the root field's order.
 */
export function scopedQuery<FilterArgs, OrderArgs, Where, Order>(
  where: (principal: Principal, args: FilterArgs) => Where,
  orderBy: Order | ((args: OrderArgs) => Order),
) {
  return (args: FilterArgs & OrderArgs, ctx: GraphQLContext) => ({
    where: where(ctx.principal, args),
    orderBy: typeof orderBy === 'function' ? (orderBy as (args: OrderArgs) => Order)(args) : orderBy,
  });
}

type Models = BuilderTypes['PrismaTypes'];
type ModelName = keyof Models & string;
/** The node type of a root connection: a model name (`'Goal'`) or a Prisma object ref (`ContractorRef`). */
type NodeType = ModelName | PrismaObjectRef<BuilderTypes, Models[ModelName]>;
type ModelOf<Type> = Type extends ModelName
  ? Models[Type]
  : Type extends PrismaObjectRef<BuilderTypes, infer Model>
    ? Model
    : never;
type OrderBy<Type> = ModelOf<Type>['OrderBy'] | ModelOf<Type>['OrderBy'][];
export type ConnectionArgs<Args extends InputFieldMap> = InputShapeFromFields<Args> &
  PothosSchemaTypes.DefaultConnectionArguments;

interface ScopedConnectionOptions<Type extends NodeType, Args extends InputFieldMap> {
  type: Type;
  description: string;
  /** Who may call the field; every root field states its own rule. */
  authScopes: AuthScopeMap<BuilderTypes>;
  args?: Args;
  /**
   * The rows listed: what the principal may see (auth/scope.ts), narrowed by the arguments. May
   * read the database first (the audit log reads the organisation's projects for a project admin).
   */
  where: (
    principal: Principal,
    args: ConnectionArgs<Args>,
    ctx: GraphQLContext,
  ) => ModelOf<Type>['Where'] | Promise<ModelOf<Type>['Where']>;
  /** Adds `updatedSince: DateTime` (rows with `updatedAt` at or after it), for lists whose records change. */
  updatedSince?: boolean;
  /** Ends with a unique column, so cursors stay stable. */
  orderBy?: OrderBy<Type> | ((args: ConnectionArgs<Args>) => OrderBy<Type>);
  /** Or: an `orderBy` argument and the orders it offers (graphql/ordering.ts). */
  sortable?: Sortable;
}

/** What a root or object field builder offers that a connection needs (the root field or `Viewer.projects`). */
interface ConnectionFieldBuilder {
  arg: Arg;
  connection(options: never, connection: never): unknown;
}

interface Rows {
  count(query: { where: unknown }): Promise<number>;
  findMany(query: object): Promise<unknown[]>;
}

/** The Prisma delegate of a model (`'ApiKey'` → `prisma.apiKey`). */
export const rowsOf = (ctx: GraphQLContext, modelName: string) =>
  (ctx.prisma as unknown as Record<string, Rows>)[modelName[0].toLowerCase() + modelName.slice(1)];

/** The name a cursor carries: the root field (`contractors`) or the type and field (`Project.contractors`). */
export const connectionName = (info: GraphQLResolveInfo) =>
  info.parentType.name === 'Query' ? info.fieldName : `${info.parentType.name}.${info.fieldName}`;

/**
 * A root connection over one model with keyset cursors (graphql/keyset.ts): a `where` serves
 * both the page and `totalCount` (counted only when selected), and the selection of the
 * nodes (with their relations, batched by plugin-prisma) comes from `queryFromInfo`.
 */
export function scopedConnection<Type extends NodeType, Args extends InputFieldMap = {}>(
  t: ConnectionFieldBuilder,
  { where, orderBy, sortable, type, updatedSince, args, ...options }: ScopedConnectionOptions<Type, Args>,
  connection: ObjectRef<BuilderTypes, unknown>,
): FieldRef<BuilderTypes, unknown, 'Query'> {
  const modelName = typeof type === 'string' ? type : type.modelName;
  const rows = (ctx: GraphQLContext) => rowsOf(ctx, modelName);
  const orderingOf = (args: ConnectionArgs<Args>) =>
    (sortable
      ? sortable.orderOf(args as Parameters<Sortable['orderOf']>[0])
      : typeof orderBy === 'function'
        ? orderBy(args)
        : orderBy) as Ordering;
  const filterOf = async (ctx: GraphQLContext, args: ConnectionArgs<Args> & { updatedSince?: Date | null }) => {
    const visible = await where(ctx.principal, args, ctx);
    return args.updatedSince ? { AND: [visible, { updatedAt: { gte: args.updatedSince } }] } : visible;
  };
  return t.connection(
    {
      ...options,
      args: {
        ...args,
        ...(sortable && { orderBy: sortable.arg(t.arg) }),
        ...(updatedSince && {
          updatedSince: t.arg({
            type: 'DateTime',
            required: false,
            description: 'Only records changed at or after this instant (`updatedAt` ≥ it), for incremental syncs.',
          }),
        }),
      },
      type: typeof type === 'string' ? getRefFromModel(type, builder) : type,
      resolve: async (_parent: unknown, args: ConnectionArgs<Args>, ctx: GraphQLContext, info: GraphQLResolveInfo) => {
        const ordering = orderingOf(args);
        const name = connectionName(info);
        const plan = planPage(name, ordering, args);
        const filter = await filterOf(ctx, args);
        // The ordering's columns are read whatever the selection, for the cursors.
        const columns = Object.fromEntries(columnsOf(ordering).map(([name]) => [name, true]));
        const query = queryFromInfo({ context: ctx, info, path: ['edges', 'node'], select: columns });
        const found = await rows(ctx).findMany({
          ...query,
          where: plan.where ? { AND: [filter, plan.where] } : filter,
          orderBy: plan.orderBy,
          take: plan.take,
        });
        return {
          ...pageOf(name, ordering, plan, args, found as Record<string, unknown>[]),
          totalCount: () => rows(ctx).count({ where: filter }),
        };
      },
    } as never,
    connection as never,
  ) as FieldRef<BuilderTypes, unknown, 'Query'>;
}
