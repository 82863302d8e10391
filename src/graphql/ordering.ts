import type { InputFieldRef } from '@pothos/core';
import { builder, type Arg, type BuilderTypes } from './builder.ts';

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  values: { ASC: { description: 'Ascending.' }, DESC: { description: 'Descending.' } },
});

export type OrderDirection = 'ASC' | 'DESC';
type Sort = 'asc' | 'desc';
export const sortOf = (direction: OrderDirection | null | undefined): Sort => (direction === 'DESC' ? 'desc' : 'asc');

/** A field a list can be sorted by: its columns, and whether the first may be null (sorted last). */
interface SortField {
  description: string;
  columns: string[];
  nullable?: boolean;
}

/** The sort fields most lists share. */
export const CREATED_AT: Record<'CREATED_AT', SortField> = {
  CREATED_AT: { description: 'When it was created.', columns: ['createdAt'] },
};
export const CREATED_AND_UPDATED_AT: Record<'CREATED_AT' | 'UPDATED_AT', SortField> = {
  ...CREATED_AT,
  UPDATED_AT: { description: 'When it last changed.', columns: ['updatedAt'] },
};

type OrderingEntry = Record<string, Sort | { sort: Sort; nulls: 'last' | 'first' }>;
interface OrderArgs<Field extends string> {
  orderBy?: { field: Field; direction?: OrderDirection | null } | null;
}

/**
 * The `orderBy` argument of a list: an `<Type>Order` input (`{ field, direction }`) over
 * `<Type>OrderField`, and the Prisma ordering it names, always ending with `id`, the hidden
 * tie-breaker that keeps keyset cursors stable (graphql/keyset.ts). A nullable column sorts
 * its nulls last. Without `orderBy` the list keeps its `fallback` order.
 */
/** What a list needs of its sorts; method syntax, so any list's field names fit. */
export interface Sortable {
  arg(arg: Arg): InputFieldRef<BuilderTypes, unknown>;
  orderOf(args: OrderArgs<string>): OrderingEntry[];
}

export function sortableBy<Field extends string>(
  typeName: string,
  plural: string,
  fields: Record<Field, SortField>,
  fallback: OrderingEntry[],
) {
  const FieldEnum = builder.enumType(`${typeName}OrderField`, {
    values: Object.fromEntries(
      Object.entries<SortField>(fields).map(([name, field]) => [name, { description: field.description }]),
    ) as Record<Field, { description: string }>,
  });
  const Order = builder.inputType(`${typeName}Order`, {
    description: `Ordering of ${plural}; ties are broken by id, so cursors stay stable.`,
    fields: (t) => ({
      field: t.field({ type: FieldEnum, required: true }),
      direction: t.field({ type: OrderDirectionEnum, required: false, defaultValue: 'ASC' }),
    }),
  });
  // Ids are UUIDv7, so by id is by creation.
  const columns = fallback.flatMap((entry) => Object.entries(entry));
  const defaultOrder =
    columns.length === 1
      ? columns[0][1] === 'desc'
        ? 'newest first'
        : 'oldest first'
      : `by ${columns
          .slice(0, -1)
          .map(([column]) => column.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`))
          .join(', ')}`;
  return {
    /** `orderBy: t.arg(...)`, for the root list and the relations that list the same rows. */
    arg: (
      arg: Arg,
    ): InputFieldRef<BuilderTypes, { field: Field; direction?: OrderDirection | null } | null | undefined> =>
      arg({ type: Order, required: false, description: `Default: ${defaultOrder}.` }) as never,
    orderOf: ({ orderBy }: OrderArgs<Field>): OrderingEntry[] => {
      if (!orderBy) return fallback;
      const sort = sortOf(orderBy.direction);
      const { columns, nullable } = fields[orderBy.field];
      return [
        ...columns.map((column, i) => ({ [column]: i === 0 && nullable ? { sort, nulls: 'last' as const } : sort })),
        { id: sort },
      ];
    },
  };
}
