import type { FieldRef, InputFieldMap, ObjectRef } from '@pothos/core';
import DataLoader from 'dataloader';
import type { AuthScopeMap } from '@pothos/plugin-scope-auth';
import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { BuilderTypes } from './builder.ts';
import { rowsOf, type ConnectionArgs } from './connections.ts';
import type { GraphQLContext } from './context.ts';
import { columnsOf, pageOf, planPage, type Ordering, type PagePlan } from './keyset.ts';
import {
  childrenOf,
  columnsOnly,
  pageStatement,
  relationShape,
  type PageRow,
  type RelationShape,
} from './relation-pages.ts';

/** The related rows a connection lists and their order (ending with `id`, like every keyset ordering). */
interface RelatedQuery {
  where?: object;
  orderBy: object;
}

interface RelatedConnectionOptions<Args extends InputFieldMap> {
  description?: string;
  nullable?: boolean;
  authScopes?: AuthScopeMap<BuilderTypes>;
  args?: Args;
  query: RelatedQuery | ((args: ConnectionArgs<Args>, ctx: GraphQLContext) => RelatedQuery);
}

/** The parts of plugin-prisma's object field builder this needs. */
interface PrismaFieldBuilder {
  model: string;
  typename: string;
  connection: (...args: never[]) => unknown;
}

type Row = Record<string, unknown>;
type Parent = Row & { id: string; _count?: Record<string, number> };
/** A Prisma relation query: what to select of the related rows, which, in what order, how many. */
type Selection = { select?: object; include?: object };
/** The selection callback plugin-prisma hands a field's `pothosPrismaSelect` while it plans the parent's query. */
type NestedSelection = (query: Selection, path: string[]) => Selection;

/** The cursor's connection name, and the `where`, order and page a field's arguments ask for. */
interface Page {
  name: string;
  ordering: Ordering;
  where: object | undefined;
  plan: PagePlan;
}

/**
 * A field at one place of the operation (list indices dropped) with its arguments. graphql-js
 * hands every row of a list the same `fieldNodes` array (collected once per execution), and
 * the arguments follow from those nodes and the variables, so the key is built once per array.
 */
const fieldKeys = new WeakMap<object, string>();
function fieldKey(info: GraphQLResolveInfo, args: object) {
  let key = fieldKeys.get(info.fieldNodes);
  if (key === undefined) {
    const path = responsePathAsArray(info.path).filter((step) => typeof step === 'string');
    key = `${path.join('.')}(${JSON.stringify(args)})`;
    fieldKeys.set(info.fieldNodes, key);
  }
  return key;
}

/**
 * A connection over a relation of a Prisma object (`Project.contractors`, `Goal.comments`),
 * with keyset cursors like the root lists. Whatever the number of parents, a field costs a
 * constant number of statements per request, batched by DataLoader:
 * - the pages: one hand-written statement (relation-pages.ts) reads, for all the parents at
 *   once, the ids of at most `first + 1` rows per parent, in order, cut in SQL;
 * - the nodes: read by that statement when the selection plugin-prisma planned for `edges.node`
 *   is only columns, else one Prisma `findMany` by those ids with it (their relations batched
 *   by Prisma as everywhere);
 * - `totalCount`, when selected: one grouped count.
 * A `where` with a relation condition (e.g. a key's person scope) has no SQL form there; its
 * candidate ids are then read with Prisma first, and the page statement cuts those.
 */
export function relatedConnection<Args extends InputFieldMap = {}>(
  t: PrismaFieldBuilder,
  relation: string,
  { query, args, ...options }: RelatedConnectionOptions<Args>,
  connection: ObjectRef<BuilderTypes, unknown>,
): FieldRef<BuilderTypes, unknown, 'PrismaObject'> {
  const parentModel = t.model;
  const name = `${t.typename}.${relation}`;
  let shape: RelationShape | undefined;
  const shapeOf = () => (shape ??= relationShape(parentModel, relation));
  const pageFor = (args: ConnectionArgs<Args>, ctx: GraphQLContext): Page => {
    const related = typeof query === 'function' ? query(args, ctx) : query;
    const ordering = related.orderBy as Ordering;
    return { name, ordering, where: related.where, plan: planPage(name, ordering, args) };
  };

  /** Every parent's page, in order, cut in SQL: the ids, and `columns` of the rows. */
  async function pageRows(ctx: GraphQLContext, parentIds: readonly string[], { where, plan }: Page, columns: string[]) {
    const direct = pageStatement(shapeOf(), parentIds, where, plan, columns);
    if (direct) return ctx.prisma.$queryRaw<PageRow[]>(direct);
    const candidates = (await rowsOf(ctx, shapeOf().childModel).findMany({
      where: { AND: [where ?? {}, childrenOf(shapeOf(), parentIds)] },
      select: { id: true },
    })) as { id: string }[];
    const ids = { id: { in: candidates.map((row) => row.id) } };
    return ctx.prisma.$queryRaw<PageRow[]>(pageStatement(shapeOf(), parentIds, ids, plan, columns)!);
  }

  /**
   * The rows of every parent's page with the selection planned for `edges.node`: read by the
   * page statement itself when the selection is only columns, else by one Prisma `findMany`.
   */
  async function pages(ctx: GraphQLContext, parentIds: readonly string[], page: Page, nodes: Selection) {
    const cursorColumns = Object.fromEntries(columnsOf(page.ordering).map(([column]) => [column, true]));
    // A select-mode node type reads only what was asked, so the cursor's columns are added.
    const selection = nodes.select ? { ...nodes, select: { ...nodes.select, ...cursorColumns } } : nodes;
    const columns = columnsOnly(shapeOf().childModel, selection);
    const rows = await pageRows(ctx, parentIds, page, columns ?? []);
    const byId = new Map<string, Row>();
    if (columns) {
      for (const { __parent, __position, ...node } of rows) byId.set(node.id, node);
    } else {
      const found = (await rowsOf(ctx, shapeOf().childModel).findMany({
        ...selection,
        where: { id: { in: [...new Set(rows.map((row) => row.id))] } },
      })) as Row[];
      for (const node of found) byId.set(node.id as string, node);
    }
    const byParent = new Map<string, Row[]>(parentIds.map((id) => [id, []]));
    for (const row of [...rows].sort((a, b) => Number(a.__position) - Number(b.__position))) {
      const node = byId.get(row.id);
      if (node) byParent.get(row.__parent)?.push(node);
    }
    return parentIds.map((id) => byParent.get(id) ?? []);
  }

  /** `totalCount`: one grouped count per field and request. */
  function countOf(ctx: GraphQLContext, batchKey: string, parentId: string, { where }: Page) {
    const counts = ctx.loaders.once(
      `${batchKey}#totalCount`,
      () =>
        new DataLoader<string, number>(async (ids) => {
          const found = (await rowsOf(ctx, parentModel).findMany({
            where: { id: { in: [...ids] } },
            select: { id: true, _count: { select: { [relation]: where ? { where } : true } } },
          })) as Parent[];
          const byId = new Map(found.map((row) => [row.id, row._count?.[relation] ?? 0]));
          return ids.map((id) => byId.get(id) ?? 0);
        }),
    );
    return counts.load(parentId);
  }

  return (t.connection as (...args: unknown[]) => FieldRef<BuilderTypes, unknown, 'PrismaObject'>)(
    {
      ...options,
      args,
      extensions: {
        // The parent's query reads only its id; the page is always read here (pothosPrismaFallback),
        // batched, where plugin-prisma hands over the selection planned for the nodes.
        pothosPrismaSelect: { id: true },
        pothosPrismaLoaded: () => false,
        pothosPrismaFallbackPlan: () => ({ paths: [[{ name: 'edges' }, { name: 'node' }]] }),
        pothosPrismaFallback: (
          nodes: Selection,
          parent: Parent,
          args: ConnectionArgs<Args>,
          ctx: GraphQLContext,
          info: GraphQLResolveInfo,
        ) => {
          // Every parent at one place of the operation shares the arguments and the selection.
          const batchKey = fieldKey(info, args);
          const { page, loader } = ctx.loaders.once(batchKey, () => {
            const page = pageFor(args, ctx);
            return { page, loader: new DataLoader<string, Row[]>((ids) => pages(ctx, ids, page, nodes)) };
          });
          return loader.load(parent.id).then((rows) => ({
            ...pageOf(page.name, page.ordering, page.plan, args, rows),
            totalCount: () => countOf(ctx, batchKey, parent.id, page),
          }));
        },
      },
      resolve: () => {
        throw new Error(`${name} resolves through its batched fallback`);
      },
    },
    connection,
  );
}
