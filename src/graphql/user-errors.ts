import { USER_ERROR_CODES, type UserErrorCode, type UserErrorShape } from '../core/user-errors.ts';
import { builder } from './builder.ts';

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
  values: Object.fromEntries(
    Object.entries(USER_ERROR_CODES).map(([name, description]) => [name, { description }]),
  ) as Record<UserErrorCode, { description: string }>,
});

export const UserErrorRef = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'An input problem the client can fix. The mutation changed nothing.',
  fields: (t) => ({
    field: t.exposeStringList('field', { nullable: true, description: 'Path to the input field at fault.' }),
    message: t.exposeString('message'),
    code: t.expose('code', { type: UserErrorCodeEnum }),
  }),
});
