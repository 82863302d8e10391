import { Prisma } from '../generated/prisma/client.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import type { PagePlan } from './keyset.ts';
import { whereSql } from './where-sql.ts';

/**
 * One row of a page: the parent it belongs to, its place in the page (1, 2, …), the related
 * row's id and any columns the statement was asked to read.
 */
export interface PageRow {
  __parent: string;
  __position: bigint | number;
  id: string;
  [column: string]: unknown;
}

/** How a relation's rows hang off their parents, read from Prisma's datamodel. */
export interface RelationShape {
  childModel: string;
  /** The child's relation field back to the parent, for a Prisma `where` (`projects`, `contractor`). */
  backRelation: string;
  /** `c."contractorId"`: one-to-many; or the implicit many-to-many table and its two columns. */
  foreignKey?: string;
  link?: { table: string; parentColumn: string; childColumn: string };
}

interface DatamodelField {
  name: string;
  type: string;
  kind: string;
  isList: boolean;
  relationName?: string;
  relationFromFields?: string[];
}

const models = getDatamodel().datamodel.models as unknown as Record<string, { fields: DatamodelField[] }>;
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The columns a node selection reads when it is only columns of `model` (no relation, no count),
 * so the page statement can read them itself; `null` when it needs Prisma. Without a `select`,
 * plugin-prisma reads every column (include mode).
 */
export function columnsOnly(model: string, selection: { select?: object; include?: object }): string[] | null {
  const fields = models[model].fields;
  const isColumn = (name: string) => fields.some((f) => f.name === name && (f.kind === 'scalar' || f.kind === 'enum'));
  if (selection.include && Object.keys(selection.include).length) return null;
  if (!selection.select) return fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => f.name);
  const entries = Object.entries(selection.select);
  return entries.every(([name, value]) => value === true && isColumn(name)) ? entries.map(([name]) => name) : null;
}

export function relationShape(parentModel: string, relation: string): RelationShape {
  const field = models[parentModel]?.fields.find((f) => f.name === relation);
  if (!field?.isList || !field.relationName) throw new Error(`${parentModel}.${relation} is not a list relation`);
  const opposite = models[field.type].fields.find(
    (f) => f.relationName === field.relationName && !(f.type === parentModel && f.name === relation),
  );
  if (!opposite) throw new Error(`no opposite side for ${parentModel}.${relation}`);
  if (opposite.relationFromFields?.length) {
    return { childModel: field.type, backRelation: opposite.name, foreignKey: opposite.relationFromFields[0] };
  }
  // An implicit many-to-many table: `_<relation name>`, A for the model whose name sorts first.
  const parentIsA = parentModel < field.type;
  return {
    childModel: field.type,
    backRelation: opposite.name,
    link: {
      table: `_${field.relationName}`,
      parentColumn: parentIsA ? 'A' : 'B',
      childColumn: parentIsA ? 'B' : 'A',
    },
  };
}

/**
 * The statement that reads, for every parent in `parentIds`, the ids of its page: the related
 * rows matching `where` and the keyset condition, in the page's order, at most `take` each.
 * One-to-many: a `LATERAL … ORDER BY … LIMIT` per parent, which the (foreign key, ordering)
 * index serves without reading further; many-to-many: one window over the parents' links
 * (the order lies in the other table, so no index can stop early). `null` when `where`
 * holds a condition that has no SQL form here (whereSql), for Prisma to run instead.
 */
export function pageStatement(
  shape: RelationShape,
  parentIds: readonly string[],
  where: object | undefined,
  plan: PagePlan,
  columns: string[] = [],
): Prisma.Sql | null {
  const filter = whereSql(where, 'c');
  const keyset = whereSql(plan.where, 'c');
  if (!filter || !keyset) return null;
  const order = Prisma.raw(
    plan.orderBy
      .flatMap((entry) => Object.entries(entry))
      .map(([column, sort]) => {
        const { sort: direction, nulls } = typeof sort === 'string' ? { sort, nulls: undefined } : sort;
        return `c.${ident(column)} ${direction === 'desc' ? 'DESC' : 'ASC'}${nulls ? ` NULLS ${nulls.toUpperCase()}` : ''}`;
      })
      .join(', '),
  );
  const child = Prisma.raw(ident(shape.childModel));
  const ids = [...parentIds];
  const read = Prisma.raw(
    ['c."id"::text AS "id"', ...columns.filter((c) => c !== 'id').map((c) => `c.${ident(c)}`)].join(', '),
  );
  if (shape.foreignKey) {
    const foreignKey = Prisma.raw(`c.${ident(shape.foreignKey)}`);
    return Prisma.sql`SELECT p.parent::text AS "__parent", page.*
      FROM unnest(${ids}::uuid[]) AS p(parent)
      CROSS JOIN LATERAL (
        SELECT ${read}, row_number() OVER (ORDER BY ${order}) AS "__position"
        FROM ${child} c
        WHERE ${foreignKey} = p.parent AND ${filter} AND ${keyset}
        ORDER BY ${order} LIMIT ${plan.take}
      ) AS page`;
  }
  const { table, parentColumn, childColumn } = shape.link!;
  const linkParent = Prisma.raw(`l.${ident(parentColumn)}`);
  return Prisma.sql`SELECT * FROM (
      SELECT ${linkParent}::text AS "__parent", ${read},
        row_number() OVER (PARTITION BY ${linkParent} ORDER BY ${order}) AS "__position"
      FROM ${Prisma.raw(ident(table))} l JOIN ${child} c ON c."id" = l.${Prisma.raw(ident(childColumn))}
      WHERE ${linkParent} = ANY(${ids}::uuid[]) AND ${filter} AND ${keyset}
    ) AS pages
    WHERE "__position" <= ${plan.take}`;
}

/** A Prisma `where` for the related rows of any of `parentIds`, whatever the relation's kind. */
export const childrenOf = (shape: RelationShape, parentIds: readonly string[]) =>
  shape.foreignKey
    ? { [shape.foreignKey]: { in: [...parentIds] } }
    : { [shape.backRelation]: { some: { id: { in: [...parentIds] } } } };
