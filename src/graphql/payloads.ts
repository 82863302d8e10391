import type { FieldMap, FieldRef, ObjectRef } from '@pothos/core';
import { toGlobalId } from '../core/ids.ts';
import type { UserErrorShape } from '../core/user-errors.ts';
import type { BuilderTypes } from './builder.ts';
import { UserErrorRef } from './user-errors.ts';
import { RESOURCE_OF_TYPE } from './resources.ts';

/** What a mutation resolves to (`withUserErrors`): the objects it changed, or only userErrors. */
interface Payload {
  userErrors: UserErrorShape[];
}

type PayloadFieldBuilder<P> = PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, P>;
type AnyObjectRef = ObjectRef<BuilderTypes, any, any>;
type Field = FieldRef<BuilderTypes, unknown, 'Object'>;

type ShapeOf<Ref> = Ref extends ObjectRef<BuilderTypes, infer Shape, any> ? Shape : never;

/** Each named ref must be able to show what the payload holds under that name. */
type Carried<P, Objects> = {
  [K in keyof Objects]: K extends keyof P
    ? NonNullable<P[K]> extends ShapeOf<Objects[K]>
      ? Objects[K]
      : ObjectRef<BuilderTypes, NonNullable<P[K]>>
    : never;
};

/**
 * The output fields of a mutation payload: one nullable field per object it carries
 * (`{ goal: GoalRef }` gives `goal: Goal`, null when userErrors is not empty; null with a
 * FORBIDDEN error for a key without READ on the object's resource) and
 * `userErrors: [UserError!]!`.
 */
export function payloadFields<P extends Payload, Objects extends Record<string, AnyObjectRef> = {}>(
  t: PayloadFieldBuilder<P>,
  objects: Objects & Carried<P, Objects> = {} as Objects & Carried<P, Objects>,
): Record<keyof Objects | 'userErrors', Field> {
  const fields: FieldMap = {};
  for (const [name, type] of Object.entries(objects as Record<string, AnyObjectRef>)) {
    const resource = RESOURCE_OF_TYPE[type.name];
    fields[name] = t.field({
      type,
      nullable: true,
      ...(resource && { authScopes: { read: resource } }),
      resolve: (payload) => payload[name as keyof P] as never,
    });
  }
  fields.userErrors = t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors });
  return fields as Record<keyof Objects | 'userErrors', Field>;
}

/**
 * `deletedXId: ID` of a delete mutation's payload: the global id of the row it deleted
 * (`deleted${typename}Id` of the payload), null when userErrors is not empty.
 */
export function deletedIdField<Typename extends string, P extends { [K in `deleted${Typename}Id`]?: string | null }>(
  t: PayloadFieldBuilder<P>,
  typename: Typename,
): Record<`deleted${Typename}Id`, Field> {
  const name = `deleted${typename}Id` as const;
  return {
    [name]: t.id({
      nullable: true,
      resolve: (payload) => {
        const id = payload[name];
        return id ? toGlobalId(typename, id) : null;
      },
    }),
  } as Record<`deleted${Typename}Id`, Field>;
}
