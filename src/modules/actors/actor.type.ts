import { builder } from '../../graphql/builder.ts';
import { AdminRef } from '../admins/admin.type.ts';
import { ApiKeyRef } from '../api-keys/api-key.type.ts';
import { PersonRef } from '../people/person.type.ts';
import { visibleAdmin, visibleApiKey, type AdminActorShape, type ActorShape, type ApiKeyActorShape } from './actor.ts';

export const ApiKeyActorRef = builder.objectRef<ApiKeyActorShape>('ApiKeyActor').implement({
  description: 'An API key (an integration) that wrote or changed something.',
  fields: (t) => ({
    name: t.exposeString('name', { description: "The key's name, unique within the organisation." }),
    keyId: t.exposeString('keyId', { description: "The public part of the key's token; safe to show and log." }),
    apiKey: t.field({
      type: ApiKeyRef,
      nullable: true,
      description:
        "The key itself: admins only (null with a FORBIDDEN error for API keys); null once deleted or outside a project admin's keys.",
      authScopes: { admin: true },
      resolve: (actor, _args, ctx) => visibleApiKey(ctx, actor.id),
    }),
  }),
});

export const AdminActorRef = builder.objectRef<AdminActorShape>('AdminActor').implement({
  description:
    'An administrator of the organisation who wrote or changed something and has no person in the directory.',
  fields: (t) => ({
    name: t.string({
      description: 'The admin\'s name, else "An administrator" (never their email).',
      resolve: (actor) => actor.name?.trim() || 'An administrator',
    }),
    admin: t.field({
      type: AdminRef,
      nullable: true,
      description: 'The admin account: admins only (null with a FORBIDDEN error for API keys).',
      authScopes: { admin: true },
      resolve: (actor, _args, ctx) => visibleAdmin(ctx, actor.id),
    }),
  }),
});

export const ActorRef = builder.unionType('Actor', {
  description:
    'Who wrote or changed something: the directory person (an admin whose email is in the directory), an API key (an integration), or an admin without a directory person.',
  types: [PersonRef, ApiKeyActorRef, AdminActorRef],
  resolveType: (actor: ActorShape) => ('actor' in actor && typeof actor.actor === 'string' ? actor.actor : 'Person'),
});
