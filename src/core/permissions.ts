/** What a key's permissions name: the organisation's data, one resource per kind of record. */
export const RESOURCES = [
  'PROJECTS',
  'CONTRACTORS',
  'WORKERS',
  'PEOPLE',
  'GOALS',
  'CONVERSATIONS',
  'RECOGNITIONS',
  'FEEDBACK',
  'CALIBRATION',
] as const;
export type Resource = (typeof RESOURCES)[number];

export const ACCESS_LEVELS = ['NONE', 'READ', 'WRITE'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** The resources an API key can ever write; every other one is READ at most (admins write those). */
export const KEY_WRITABLE_RESOURCES: ReadonlySet<Resource> = new Set(['CONTRACTORS', 'WORKERS', 'PEOPLE', 'GOALS']);

/** A key's own list: the access it was given per resource; null when it has none (the flags alone decide). */
export type PermissionList = Partial<Record<Resource, Access>> | null;

const rank = (access: Access) => ACCESS_LEVELS.indexOf(access);
const lower = (a: Access, b: Access): Access => (rank(a) <= rank(b) ? a : b);

/**
 * The most a key may do with a resource whatever its list says: its flags cap it. A read-only
 * key (`allowWrites: false`, or a token narrowed to `read`) reads; people are written only with
 * `canWritePeople`; resources keys never write are READ.
 */
function keyCeiling(key: { allowWrites: boolean; canWritePeople: boolean }, resource: Resource): Access {
  if (!KEY_WRITABLE_RESOURCES.has(resource) || !key.allowWrites) return 'READ';
  if (resource === 'PEOPLE') return key.canWritePeople ? 'WRITE' : 'READ';
  return 'WRITE';
}

/**
 * What a key holds on a resource: its list's entry (a resource the list leaves out is NONE),
 * or, for a key without a list, everything its flags allow; never above the flags' ceiling.
 */
export function keyAccess(key: KeyFlags, resource: Resource): Access {
  const ceiling = keyCeiling(key, resource);
  return key.permissions ? lower(key.permissions[resource] ?? 'NONE', ceiling) : ceiling;
}

type KeyFlags = { allowWrites: boolean; canWritePeople: boolean; permissions: PermissionList };
/** The parts of a principal (core/principal.ts) that decide its access. */
type Holder = { kind: 'ADMIN'; role: string } | ({ kind: 'API_KEY' } & KeyFlags);

/** A principal's access to a resource: admins read everything and write what their role allows (people: owners and admins). */
export function accessTo(principal: Holder, resource: Resource): Access {
  if (principal.kind === 'API_KEY') return keyAccess(principal, resource);
  if (resource === 'PEOPLE' && principal.role === 'PROJECT_ADMIN') return 'READ';
  return 'WRITE';
}

export const canRead = (principal: Holder, resource: Resource) => accessTo(principal, resource) !== 'NONE';
export const canWriteTo = (principal: Holder, resource: Resource) => accessTo(principal, resource) === 'WRITE';

/** The list as stored on the key (a JSON array of `{ resource, access }`; empty: no list). */
export function permissionListFromJson(stored: unknown): PermissionList {
  if (!Array.isArray(stored) || stored.length === 0) return null;
  const list: Partial<Record<Resource, Access>> = {};
  for (const entry of stored as { resource: Resource; access: Access }[]) list[entry.resource] = entry.access;
  return list;
}

/** Why a key lacks `wanted` on a resource, in words for an error message (after "needs WANTED on RESOURCE, and"). */
export function whyKeyLacks(
  key: {
    allowWrites: boolean;
    canWritePeople: boolean;
    permissions: PermissionList;
    accessToken: { scope: string | null } | null;
  },
  resource: Resource,
  wanted: Access,
): string {
  if (wanted === 'WRITE' && key.accessToken?.scope === 'read') return 'this access token was issued with scope `read`';
  if (wanted === 'WRITE' && !key.allowWrites) return 'this API key is read-only (allowWrites: false)';
  if (wanted === 'WRITE' && resource === 'PEOPLE' && !key.canWritePeople)
    return 'this API key does not have canWritePeople';
  return `this API key's permissions give it ${keyAccess(key, resource)} on ${resource}`;
}
