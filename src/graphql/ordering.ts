import { builder } from './builder.ts';

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  values: { ASC: { description: 'Ascending.' }, DESC: { description: 'Descending.' } },
});

export type OrderDirection = 'ASC' | 'DESC';
export const sortOf = (direction: OrderDirection | null | undefined) => (direction === 'DESC' ? 'desc' : 'asc');
