/**
 * Deterministic generators of malformed and adversarial HTTP requests for test/fuzz.test.ts.
 * Everything random comes from one seeded PRNG, so a failing case is reproduced by its seed
 * and index (`FUZZ_SEED=<seed> npx vitest run test/fuzz.test.ts`).
 *
 * Every generated request must leave the database unchanged: callers that may write get
 * only mutations with a guaranteed defect (an id of the other organisation or outside the
 * key's projects, a wrong variable type, an unknown or missing field, a value that is a
 * documented userError); callers that may not write (no/bad token, read-only key, a key
 * calling an admin-only mutation) also get well-formed mutations that would succeed for
 * someone allowed to run them.
 */
import { issueToken } from '../../src/auth/tokens.ts';
import { globalId } from './scenarios.ts';

// ---------------------------------------------------------------------------------------
// PRNG

/** mulberry32: small, fast, good enough for test input; same seed, same sequence. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((sum, [w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [w, value] of items) {
      r -= w;
      if (r < 0) return value;
    }
    return items[items.length - 1][1];
  }
  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
  bytes(length: number): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}

// ---------------------------------------------------------------------------------------
// The world the requests are aimed at (built by the test with the scenario fixtures)

export type OrgKey = 'A' | 'B';
export type NodeType =
  | 'Project'
  | 'Contractor'
  | 'Worker'
  | 'Person'
  | 'Goal'
  | 'Conversation'
  | 'ConversationTemplate'
  | 'Recognition'
  | 'ApiKey';
export const NODE_TYPES: NodeType[] = [
  'Project',
  'Contractor',
  'Worker',
  'Person',
  'Goal',
  'Conversation',
  'ConversationTemplate',
  'Recognition',
  'ApiKey',
];

export interface OrgFixture {
  key: OrgKey;
  /** A word in the name of every row of this organisation: it must never reach the other one. */
  marker: string;
  organizationId: string;
  adminToken: string;
  /** Raw row ids (UUIDs) by type. */
  ids: Record<NodeType, string[]>;
  /** Raw ids of the conversation template's questions (addConversationResponse takes them raw). */
  questionIds: string[];
  /** Read-only key and write key, both on the first project only. */
  readKey: string;
  writeKey: string;
  /** Public key ids of this organisation's keys, for forged tokens. */
  keyIds: string[];
  adminTokenId: string;
}

export interface FuzzWorld {
  A: OrgFixture;
  B: OrgFixture;
  /** Tokens of A's deactivated and expired keys. */
  inactiveKey: string;
  expiredKey: string;
  /** Rows of A the write key (first project only) may not see or touch. */
  outOfScope: { Project: string; Contractor: string; Worker: string; Goal: string };
}

export type Role = 'admin' | 'readKey' | 'writeKey' | 'rejected';

export interface Caller {
  label: string;
  role: Role;
  /** Whose data the caller may read; null when it is rejected. */
  org: OrgKey | null;
  /** The organisation whose rows a well-formed request of this caller names. */
  home: OrgKey;
  headers: Record<string, string>;
  /** When the caller is rejected for sure: the code it must get. */
  rejectedWith?: 'UNAUTHENTICATED' | 'API_KEY_INACTIVE' | 'API_KEY_EXPIRED';
}

export interface FuzzCase {
  index: number;
  category: string;
  label: string;
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** Organisations whose data the response may contain. */
  sees: OrgKey[];
  /** The X-Request-Id sent when it is sane (then it must come back unchanged). */
  saneRequestId?: string;
  /** Outcomes that are certain for this case (one of these statuses). */
  expectStatus?: number[];
  expectCode?: string;
  /** A mutation document: no payload may come back without userErrors. */
  mutation?: boolean;
}

export interface GenerateOptions {
  count: number;
  /**
   * Also generate the inputs of the server bugs pinned by `it.fails` in fuzz.test.ts
   * (NUL characters, year-0 dates, crafted cursors, malformed JSON in GET parameters,
   * pathologically deep selection sets). Off by default so the fuzz run stays green
   * until they are fixed.
   */
  knownBugs: boolean;
}

// ---------------------------------------------------------------------------------------
// Small value generators

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/graphql-response+json, application/json',
};

const INJECTIONS = [
  "' OR 1=1 --",
  '"; DROP TABLE "ApiKey"; --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '%s%s%s%n',
  '\\',
  '%',
  '_',
  '\\%_',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '   ',
  '',
];
/** Unpaired surrogates: a string of them after multi-byte text reaches PGlite as invalid UTF-8 (500, pinned). */
const LONE_SURROGATES = ['\ud800', '\udfff', '漢字\udfff', 'é\ud83d'];
const UNICODE = [
  'é',
  '漢字',
  '😀',
  '\u200b',
  '\u202e',
  'İı',
  'a\u0301',
  '\uffff',
  '\ufeff',
  'Ω≈ç√',
  '\u2028\u2029',
  'ﷺ',
];
const PRINTABLE = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE64 = BASE62 + '+/=-_';

/** A hostile string: injections, unicode, control characters, long runs. */
export function junkString(rng: Rng, knownBugs: boolean): string {
  const kind = rng.int(0, 6);
  switch (kind) {
    case 0:
      return rng.chars(rng.int(0, 40), PRINTABLE);
    case 1:
      return rng.pick(INJECTIONS);
    case 2:
      return Array.from({ length: rng.int(1, 6) }, () =>
        rng.pick(knownBugs ? [...UNICODE, ...LONE_SURROGATES] : UNICODE),
      ).join('');
    case 3: {
      // control characters; NUL only with known bugs (PostgreSQL text cannot hold it: 500)
      const low = knownBugs ? 0 : 1;
      return Array.from({ length: rng.int(1, 8) }, () => String.fromCharCode(rng.int(low, 31))).join('');
    }
    case 4:
      return rng.chars(1, PRINTABLE).repeat(rng.int(1_000, 20_000));
    case 5:
      return knownBugs && rng.bool(0.5) ? `a\u0000b` : rng.pick(INJECTIONS) + rng.pick(UNICODE);
    default:
      return String(rng.int(-1e6, 1e6));
  }
}

const uuid = (rng: Rng) => {
  const h = rng.chars(32, '0123456789abcdef');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
};

/**
 * An id that names nothing the caller may see, or is not an id at all. Not `strict`, it may
 * also be a real id spelled differently (padding, stray characters, upper case), which the
 * server may well accept: fine for reads, never used to poison a mutation.
 */
export function junkId(rng: Rng, world: FuzzWorld, strict = false): string {
  const any = () => rng.pick(NODE_TYPES);
  const org = world[rng.pick(['A', 'B'] as const)];
  const rowOf = (type: NodeType) => rng.pick(org.ids[type]);
  const kind = strict ? rng.pick([0, 1, 2, 3, 4, 5, 6, 9, 13]) : rng.int(0, 13);
  switch (kind) {
    case 0:
      return b64url(rng.chars(rng.int(0, 60), PRINTABLE));
    case 1:
      return Buffer.from(rng.bytes(rng.int(1, 48))).toString('base64');
    case 2:
      return globalId(
        rng.pick(['Foo', 'Node', 'Query', 'Organization', 'User', 'AdminToken', 'project', 'PROJECT']),
        uuid(rng),
      );
    case 3: {
      // a real row under another type's name
      const type = any();
      return globalId(rng.pick(NODE_TYPES.filter((t) => t !== type)), rowOf(type));
    }
    case 4:
      return globalId(
        any(),
        rng.pick([
          '123',
          '',
          'x',
          '-1',
          "' OR 1=1 --",
          '00000000-0000-0000-0000-00000000000',
          'ffffffff-ffff-ffff-ffff-ffffffffffffff',
          '../x',
        ]),
      );
    case 5:
      return globalId(any(), uuid(rng)); // well-formed, no such row
    case 6:
      return rowOf(any()); // a raw UUID, not a global id
    case 7:
      return b64(`${any()}:${rowOf(any())}`); // standard base64 with padding
    case 8:
      return ` ${globalId('Project', rowOf('Project'))} `;
    case 9:
      return rng.chars(rng.int(1_000, 10_000), BASE64);
    case 10:
      return rng.pick(UNICODE) + globalId('Project', rowOf('Project'));
    case 11:
      return globalId(any(), rowOf(any()).toUpperCase());
    case 12:
      return '';
    default:
      return globalId('Project', `${rowOf('Project')}:${uuid(rng)}`);
  }
}

/** A global id of a real row of `org` (maybe of the other organisation, maybe of another type). */
function realId(rng: Rng, org: OrgFixture, type = rng.pick(NODE_TYPES)): string {
  return globalId(type, rng.pick(org.ids[type]));
}

/** GraphQL literal syntax for a JS value; `Enum` values print bare. */
export class Enum {
  constructor(readonly name: string) {}
}
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Enum) return value.name;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return `{ ${Object.entries(value as object)
    .map(([k, v]) => `${k}: ${literal(v)}`)
    .join(', ')} }`;
}
/** The same value as JSON variables carry it (Enum → its name). */
function plain(value: unknown): unknown {
  if (value instanceof Enum) return value.name;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * A value no input field accepts: an object for a scalar or list, a nested list, a null
 * item. (Numbers and booleans are not used: some custom scalars take numbers, and a
 * boolean is a valid value of a Boolean field.)
 */
function wrongTypeValue(rng: Rng): unknown {
  return rng.pick<unknown>([{}, { id: 'x' }, [[1]], { nested: { deeper: [null] } }, [null], [{}]]);
}

function badDate(rng: Rng, knownBugs: boolean): string {
  const bad = [
    '2020-13-01',
    '2020-02-30',
    'yesterday',
    '',
    '20200101',
    '99999-01-01',
    '2020-01-01T00:00:00Z',
    '-0001-01-01',
    '１２３',
  ];
  if (knownBugs) bad.push('0000-01-01', '0000-12-31');
  return rng.pick(bad);
}
function badDateTime(rng: Rng, knownBugs: boolean): string {
  const bad = [
    '2020-01-01',
    'now',
    '2020-01-01T25:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '1970-01-01T00:00:00+99:00',
    '2020-01-01 00:00',
  ];
  if (knownBugs) bad.push('0000-01-01T00:00:00Z');
  return rng.pick(bad);
}

// ---------------------------------------------------------------------------------------
// Callers and tokens

function corruptToken(rng: Rng, world: FuzzWorld): { token: string; label: string } {
  const base = rng.pick([world.A.adminToken, world.A.readKey, world.A.writeKey, world.B.adminToken, world.B.writeKey]);
  const flip = (s: string, at: number) => {
    const c = s[at];
    const replacement = BASE62[(BASE62.indexOf(c) + rng.int(1, 61)) % 62] ?? 'x';
    return s.slice(0, at) + replacement + s.slice(at + 1);
  };
  switch (rng.int(0, 17)) {
    case 0:
      return { token: flip(base, base.length - rng.int(1, 6)), label: 'checksum flipped' };
    case 1:
      return { token: flip(base, rng.int(17, base.length - 7)), label: 'secret flipped' };
    case 2:
      return { token: flip(base, rng.int(4, 15)), label: 'key id flipped' };
    case 3: {
      const prefix = rng.pick(['cgx', 'CGK', 'cgt', 'cga', 'cgk', 'ghp', ''].filter((p) => p !== base.slice(0, 3)));
      return { token: prefix + base.slice(3), label: 'prefix swapped' };
    }
    case 4:
      return { token: base.slice(0, rng.int(0, base.length - 1)), label: 'truncated' };
    case 5:
      return { token: base + rng.chars(rng.int(1, 10), BASE62), label: 'extended' };
    case 6: {
      const at = rng.int(0, base.length);
      return { token: base.slice(0, at) + rng.pick(UNICODE) + base.slice(at), label: 'unicode inserted' };
    }
    case 7:
      return { token: base.includes('a') ? base.replace(/a/g, 'а') : `${base}а`, label: 'homoglyphs' };
    case 8:
      return { token: rng.chars(rng.int(10_000, 100_000), BASE62), label: 'extremely long' };
    case 9:
      return { token: issueToken('cgk').token, label: 'forged: unknown key id, valid checksum' };
    case 10:
      return {
        token: issueToken('cgk', rng.pick(world.A.keyIds.concat(world.B.keyIds))).token,
        label: 'forged: real key id, wrong secret',
      };
    case 11:
      return {
        token: issueToken('cga', rng.pick([world.A.adminTokenId, world.B.adminTokenId])).token,
        label: 'forged: real admin token id, wrong secret',
      };
    case 12:
      return { token: issueToken('cga', rng.pick(world.A.keyIds)).token, label: 'forged: key id as admin token id' };
    case 13:
      return { token: issueToken('cgt').token, label: 'forged access token' };
    case 14:
      return { token: base.split('_').reverse().join('_'), label: 'parts reversed' };
    case 15:
      return { token: rng.pick(INJECTIONS) || 'x', label: 'injection' };
    case 16:
      return { token: base.toUpperCase() === base ? `${base}x` : base.toUpperCase(), label: 'upper-cased' };
    default:
      return { token: `${base}_${base}`, label: 'doubled' };
  }
}

/** A caller: a valid principal of either organisation, or one that must be rejected. */
export function pickCaller(rng: Rng, world: FuzzWorld, only?: Role[]): Caller {
  const principals: Caller[] = [
    { label: 'A admin', role: 'admin', org: 'A', home: 'A', headers: bearer(world.A.adminToken) },
    { label: 'B admin', role: 'admin', org: 'B', home: 'B', headers: bearer(world.B.adminToken) },
    { label: 'A read key', role: 'readKey', org: 'A', home: 'A', headers: bearer(world.A.readKey) },
    { label: 'A write key', role: 'writeKey', org: 'A', home: 'A', headers: bearer(world.A.writeKey) },
    { label: 'B write key', role: 'writeKey', org: 'B', home: 'B', headers: bearer(world.B.writeKey) },
  ];
  // the same credential in X-Api-Key, or with a differently spelled scheme
  const valid = principals.map((c): Caller => {
    const token = c.headers.authorization.slice('Bearer '.length);
    return rng.weighted<Caller>([
      [6, c],
      [2, { ...c, label: `${c.label} (X-Api-Key)`, headers: { 'x-api-key': token } }],
      [1, { ...c, label: `${c.label} (bearer, extra spaces)`, headers: { authorization: `bearer   ${token}  ` } }],
      [1, { ...c, label: `${c.label} (+ junk X-Api-Key)`, headers: { ...c.headers, 'x-api-key': 'junk' } }],
    ]);
  });
  const rejected = (): Caller => {
    const home = rng.pick(['A', 'B'] as const);
    switch (rng.int(0, 9)) {
      case 0:
        return { label: 'no token', role: 'rejected', org: null, home, headers: {}, rejectedWith: 'UNAUTHENTICATED' };
      case 1:
        return {
          label: 'inactive key',
          role: 'rejected',
          org: null,
          home: 'A',
          headers: bearer(world.inactiveKey),
          rejectedWith: 'API_KEY_INACTIVE',
        };
      case 2:
        return {
          label: 'expired key',
          role: 'rejected',
          org: null,
          home: 'A',
          headers: bearer(world.expiredKey),
          rejectedWith: 'API_KEY_EXPIRED',
        };
      case 3: {
        // a bad Authorization wins over a good X-Api-Key
        const bad = corruptToken(rng, world);
        return {
          label: `bad Authorization (${bad.label}) + valid X-Api-Key`,
          role: 'rejected',
          org: null,
          home,
          headers: { authorization: `Bearer ${bad.token}`, 'x-api-key': world[home].adminToken },
          rejectedWith: 'UNAUTHENTICATED',
        };
      }
      case 4: {
        const t = world[home].adminToken;
        const value = rng.pick([
          `Basic ${t}`,
          `Token ${t}`,
          'Bearer',
          'Bearer ',
          '',
          `Bearer ${t} ${t}`,
          `Digest ${t}`,
          `Bearer,${t}`,
          `Bearer:${t}`,
          t,
        ]);
        return {
          label: `malformed Authorization "${value.slice(0, 12)}…"`,
          role: 'rejected',
          org: null,
          home,
          headers: { authorization: value },
          rejectedWith: 'UNAUTHENTICATED',
        };
      }
      default: {
        const bad = corruptToken(rng, world);
        const headers = rng.bool(0.7) ? bearer(bad.token) : { 'x-api-key': bad.token };
        return {
          label: `bad token: ${bad.label}`,
          role: 'rejected',
          org: null,
          home,
          headers,
          rejectedWith: 'UNAUTHENTICATED',
        };
      }
    }
  };
  const candidates = only ? valid.filter((c) => only.includes(c.role)) : valid;
  if (only && !only.includes('rejected')) return rng.pick(candidates);
  if (only && only.length === 1) return rejected();
  return rng.bool(0.35) ? rejected() : rng.pick(candidates);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// ---------------------------------------------------------------------------------------
// Mutations with guaranteed defects

type Poison =
  | 'foreignId'
  | 'outOfScopeId'
  | 'wrongTypeId'
  | 'malformedId'
  | 'badType'
  | 'unknownField'
  | 'missingRequired'
  | 'userError';

interface Ref {
  field: string;
  type: NodeType;
  list?: boolean;
  /** The write key is limited to its projects here (project, contractor). */
  scoped?: boolean;
}

interface MutationSpec {
  name: string;
  inputType: string;
  /** Admin-only: every key gets FORBIDDEN, so keys may send it well-formed. */
  adminOnly: boolean;
  required: string[];
  refs: Ref[];
  /** A well-formed input naming rows of `org` (inside the write key's first project). */
  build(rng: Rng, org: OrgFixture, k: boolean): Record<string, unknown>;
  /** Defects the service reports as userErrors (it then changes nothing). */
  userErrors?: ((rng: Rng, input: Record<string, unknown>, org: OrgFixture) => void)[];
  /** Optional input fields that take free text, for garbage. */
  texts: string[];
}

const gid = (org: OrgFixture, type: NodeType, i = 0) => globalId(type, org.ids[type][i]);
const name = (rng: Rng) => `fuzz ${rng.chars(8, BASE62)}`;

const MUTATIONS: MutationSpec[] = [
  {
    name: 'createApiKey',
    inputType: 'CreateApiKeyInput',
    adminOnly: true,
    required: ['name', 'projectIds'],
    refs: [{ field: 'projectIds', type: 'Project', list: true }],
    texts: ['name'],
    build: (rng, org) => ({
      name: name(rng),
      projectIds: [gid(org, 'Project')],
      allowWrites: rng.bool(),
      canReadQualificationData: rng.bool(),
      ...(rng.bool() ? { expiresAt: '2099-01-01T00:00:00Z' } : {}),
    }),
    userErrors: [
      (rng, input) => void (input.name = rng.pick(['', '   ', '\t\n'])),
      (rng, input) => void (input.name = 'n'.repeat(rng.int(101, 5000))),
      (_rng, input) => void (input.projectIds = []),
      (rng, input) =>
        void (input.expiresAt = rng.pick([
          '2001-01-01T00:00:00Z',
          '1970-01-01T00:00:00Z',
          new Date(Date.now() - 1000).toISOString(),
        ])),
    ],
  },
  {
    name: 'updateApiKey',
    inputType: 'UpdateApiKeyInput',
    adminOnly: true,
    required: ['id'],
    refs: [
      { field: 'id', type: 'ApiKey' },
      { field: 'projectIds', type: 'Project', list: true },
    ],
    texts: ['name'],
    build: (rng, org) => ({
      id: realId(rng, org, 'ApiKey'),
      name: name(rng),
      projectIds: [gid(org, 'Project')],
      allowWrites: rng.bool(),
      active: rng.bool(),
    }),
    userErrors: [
      (rng, input) => void (input.name = rng.pick(['', '  '])),
      (_rng, input) => void (input.projectIds = []),
      (_rng, input) => void (input.expiresAt = '2001-01-01T00:00:00Z'),
    ],
  },
  {
    name: 'cycleApiKey',
    inputType: 'CycleApiKeyInput',
    adminOnly: true,
    required: ['id'],
    refs: [{ field: 'id', type: 'ApiKey' }],
    texts: [],
    build: (rng, org) => ({ id: realId(rng, org, 'ApiKey'), gracePeriodSeconds: rng.int(0, 3600) }),
    userErrors: [(rng, input) => void (input.gracePeriodSeconds = rng.pick([-1, -3600, 604_801, 2 ** 31 - 1]))],
  },
  ...(['revokeApiKey', 'reactivateApiKey', 'deleteApiKey'] as const).map((mutation): MutationSpec => ({
    name: mutation,
    inputType: `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`,
    adminOnly: true,
    required: ['id'],
    refs: [{ field: 'id', type: 'ApiKey' }],
    texts: [],
    build: (rng, org) => ({ id: realId(rng, org, 'ApiKey') }),
  })),
  {
    name: 'createContractor',
    inputType: 'CreateContractorInput',
    adminOnly: false,
    required: ['name', 'projectIds'],
    refs: [{ field: 'projectIds', type: 'Project', list: true, scoped: true }],
    texts: ['name', 'address', 'city', 'state', 'zip'],
    build: (rng, org) => ({
      name: name(rng),
      projectIds: [gid(org, 'Project')],
      city: 'Boise',
      tags: ['a', 'b'],
      autoApprove: rng.bool(),
      contractorComplianceScore: rng.int(0, 100),
      approvalStatus: new Enum(rng.pick(['NEW', 'PENDING', 'APPROVED', 'DENIED'])),
    }),
  },
  {
    name: 'createGoal',
    inputType: 'CreateGoalInput',
    adminOnly: false,
    required: ['projectId', 'title', 'ownerId'],
    refs: [
      { field: 'projectId', type: 'Project', scoped: true },
      { field: 'ownerId', type: 'Person' },
    ],
    texts: ['title', 'description'],
    build: (rng, org) => ({
      projectId: gid(org, 'Project'),
      title: name(rng),
      ownerId: gid(org, 'Person'),
      progress: rng.int(0, 100),
      status: new Enum(rng.pick(['NOT_STARTED', 'ON_TRACK', 'AT_RISK'])),
      milestones: [{ title: 'm1' }],
    }),
  },
  {
    name: 'createWorker',
    inputType: 'CreateWorkerInput',
    adminOnly: false,
    required: ['contractorId', 'firstName', 'lastName'],
    refs: [{ field: 'contractorId', type: 'Contractor', scoped: true }],
    texts: ['firstName', 'lastName', 'trade', 'phone'],
    build: (rng, org) => ({
      contractorId: gid(org, 'Contractor'),
      firstName: name(rng),
      lastName: name(rng),
      trade: 'carpenter',
    }),
  },
  {
    name: 'createProject',
    inputType: 'CreateProjectInput',
    adminOnly: true,
    required: ['name', 'code'],
    refs: [],
    texts: ['name', 'code', 'city', 'addressLine1', 'country'],
    build: (rng) => ({ name: name(rng), code: rng.chars(6, BASE62), status: new Enum('ACTIVE') }),
  },
  {
    name: 'updateProject',
    inputType: 'UpdateProjectInput',
    adminOnly: true,
    required: ['id'],
    refs: [{ field: 'id', type: 'Project' }],
    texts: ['name', 'city', 'zip'],
    build: (rng, org) => ({ id: gid(org, 'Project'), name: name(rng) }),
  },
  {
    name: 'createPerson',
    inputType: 'CreatePersonInput',
    adminOnly: true,
    required: ['name', 'email'],
    refs: [{ field: 'managerId', type: 'Person' }],
    texts: ['name', 'title', 'department', 'employeeId'],
    build: (rng, org) => ({
      name: name(rng),
      email: `${rng.chars(10, 'abcdefghij')}@fuzz.test`,
      managerId: gid(org, 'Person'),
    }),
  },
  {
    name: 'updatePerson',
    inputType: 'UpdatePersonInput',
    adminOnly: true,
    required: ['id'],
    refs: [
      { field: 'id', type: 'Person' },
      { field: 'managerId', type: 'Person' },
    ],
    texts: ['name', 'title'],
    build: (rng, org) => ({ id: gid(org, 'Person', 1), name: name(rng), managerId: gid(org, 'Person', 0) }),
  },
  {
    name: 'addQualification',
    inputType: 'AddQualificationInput',
    adminOnly: true,
    required: ['workerId', 'name', 'issuer', 'licenseNumber'],
    refs: [{ field: 'workerId', type: 'Worker' }],
    texts: ['name', 'issuer', 'licenseNumber'],
    build: (rng, org) => ({
      workerId: gid(org, 'Worker'),
      name: name(rng),
      issuer: 'OSHA',
      licenseNumber: rng.chars(8, BASE62),
    }),
  },
  {
    name: 'createRecognition',
    inputType: 'CreateRecognitionInput',
    adminOnly: true,
    required: ['projectId', 'giverId', 'receiverIds', 'message'],
    refs: [
      { field: 'projectId', type: 'Project' },
      { field: 'giverId', type: 'Person' },
      { field: 'receiverIds', type: 'Person', list: true },
    ],
    texts: ['message'],
    build: (rng, org) => ({
      projectId: gid(org, 'Project'),
      giverId: gid(org, 'Person', 0),
      receiverIds: [gid(org, 'Person', 1)],
      message: name(rng),
      hashtags: ['#fuzz'],
    }),
  },
  {
    name: 'createConversation',
    inputType: 'CreateConversationInput',
    adminOnly: true,
    required: ['projectId', 'templateId', 'participantIds'],
    refs: [
      { field: 'projectId', type: 'Project' },
      { field: 'templateId', type: 'ConversationTemplate' },
      { field: 'participantIds', type: 'Person', list: true },
    ],
    texts: [],
    build: (_rng, org) => ({
      projectId: gid(org, 'Project'),
      templateId: gid(org, 'ConversationTemplate'),
      participantIds: [gid(org, 'Person')],
    }),
  },
  {
    name: 'createConversationTemplate',
    inputType: 'CreateConversationTemplateInput',
    adminOnly: true,
    required: ['name', 'questions'],
    refs: [],
    texts: ['name'],
    build: (rng) => ({ name: name(rng), questions: ['How are you?'] }),
  },
  {
    name: 'addConversationResponse',
    inputType: 'AddConversationResponseInput',
    adminOnly: true,
    required: ['conversationId', 'questionId', 'respondentId', 'answer'],
    refs: [
      { field: 'conversationId', type: 'Conversation' },
      { field: 'respondentId', type: 'Person' },
    ],
    texts: ['answer'],
    build: (rng, org) => ({
      conversationId: gid(org, 'Conversation'),
      questionId: rng.pick(org.questionIds),
      respondentId: gid(org, 'Person'),
      answer: name(rng),
    }),
  },
];

/** Applies one defect that makes the mutation fail for the given caller; returns its name. */
function poison(
  rng: Rng,
  spec: MutationSpec,
  input: Record<string, unknown>,
  caller: Caller,
  world: FuzzWorld,
): string {
  const own = world[caller.home];
  const other = world[caller.home === 'A' ? 'B' : 'A'];
  // Mostly defects only the service can see (they reach the resolvers and the database
  // lookups), the rest rejected by GraphQL validation before anything runs.
  const options: [number, Poison][] = [
    [1, 'badType'],
    [1, 'unknownField'],
    [1, 'missingRequired'],
  ];
  if (spec.refs.length) options.push([6, 'foreignId'], [1, 'wrongTypeId'], [1, 'malformedId']);
  if (caller.role === 'writeKey' && caller.home === 'A' && spec.refs.some((r) => r.scoped))
    options.push([6, 'outOfScopeId']);
  if (caller.role === 'admin' && spec.userErrors) options.push([6, 'userError']);
  const kind = rng.weighted(options);
  const setRef = (ref: Ref, id: string) => {
    input[ref.field] = ref.list ? (rng.bool() ? [id] : [...((input[ref.field] as string[]) ?? []), id]) : id;
  };
  switch (kind) {
    case 'foreignId': {
      const ref = rng.pick(spec.refs);
      setRef(ref, realId(rng, other, ref.type));
      break;
    }
    case 'outOfScopeId': {
      const ref = rng.pick(spec.refs.filter((r) => r.scoped));
      setRef(ref, globalId(ref.type, world.outOfScope[ref.type as 'Project' | 'Contractor']));
      break;
    }
    case 'wrongTypeId': {
      const ref = rng.pick(spec.refs);
      const type = rng.pick(NODE_TYPES.filter((t) => t !== ref.type));
      setRef(ref, realId(rng, own, type));
      break;
    }
    case 'malformedId': {
      const ref = rng.pick(spec.refs);
      setRef(ref, junkId(rng, world, true));
      break;
    }
    case 'badType': {
      const field = rng.pick(Object.keys(input));
      input[field] = wrongTypeValue(rng);
      break;
    }
    case 'unknownField':
      input[`zz${rng.chars(6, 'abcdefghijklmnopqrstuvwxyz')}`] = rng.pick<unknown>([1, 'x', true, null, { a: 1 }]);
      break;
    case 'missingRequired':
      delete input[rng.pick(spec.required)];
      break;
    case 'userError':
      rng.pick(spec.userErrors!)(rng, input, own);
      break;
  }
  return kind;
}

/** A mutation document (1–3 fields, or an alias bomb) and its variables. */
function mutationDocument(
  rng: Rng,
  world: FuzzWorld,
  caller: Caller,
  k: boolean,
): { query: string; variables: Record<string, unknown>; label: string } {
  const mustPoison = (spec: MutationSpec) => caller.role === 'admin' || (caller.role === 'writeKey' && !spec.adminOnly);
  const fields = rng.weighted<() => number>([
    [14, () => 1],
    [4, () => rng.int(2, 3)],
    [1, () => rng.int(20, 60)],
  ])();
  const defs: string[] = [];
  const selections: string[] = [];
  const variables: Record<string, unknown> = {};
  const labels: string[] = [];
  for (let i = 0; i < fields; i++) {
    const spec = rng.pick(MUTATIONS);
    const input = spec.build(rng, world[caller.home], k);
    // garbage in free-text fields first, so the defect below is the last word
    for (const text of spec.texts) if (rng.bool(0.3)) input[text] = junkString(rng, k);
    const optional = Object.keys(input).filter((key) => !spec.required.includes(key));
    if (optional.length && rng.bool(0.15)) input[rng.pick(optional)] = null;
    let defect = 'none';
    if (mustPoison(spec) || rng.bool(0.3)) defect = poison(rng, spec, input, caller, world);
    labels.push(`${spec.name}[${defect}]`);
    const asVariable = rng.bool(0.6);
    const selection = `m${i}: ${spec.name}(input: ${
      asVariable ? `$i${i}` : literal(input)
    }) { __typename userErrors { field code message } }`;
    if (asVariable) {
      defs.push(`$i${i}: ${spec.inputType}${rng.bool(0.9) ? '!' : ''}`);
      variables[`i${i}`] = plain(input);
    }
    selections.push(selection);
  }
  const query = `mutation Fuzz${defs.length ? `(${defs.join(', ')})` : ''} { ${selections.join(' ')} }`;
  return {
    query,
    variables,
    label: labels.slice(0, 4).join(' ') + (labels.length > 4 ? ` +${labels.length - 4}` : ''),
  };
}

// ---------------------------------------------------------------------------------------
// Queries

/** Every root connection of the schema. */
export const ROOT_CONNECTIONS = [
  'apiKeys',
  'projects',
  'contractors',
  'workers',
  'people',
  'goals',
  'conversations',
  'conversationTemplates',
  'recognitions',
] as const;

const NODE_SELECTION = `{ id __typename ... on Project { name code } ... on Contractor { name city } ... on Worker { firstName lastName } ... on Person { name email } ... on Goal { title } ... on ApiKey { name keyId } ... on Recognition { message } ... on ConversationTemplate { name } }`;

function pageArgValue(rng: Rng): unknown {
  return rng.pick<unknown>([
    -1,
    0,
    1,
    100,
    101,
    500,
    1000,
    2 ** 31 - 1,
    -(2 ** 31),
    2 ** 31,
    1e21,
    1.5,
    '10',
    'ten',
    true,
    null,
    [],
    {},
    -0,
  ]);
}

function cursorValue(rng: Rng, world: FuzzWorld, k: boolean): string {
  const org = world[rng.pick(['A', 'B'] as const)];
  const safe = [
    () => rng.chars(rng.int(0, 40), BASE64),
    () => b64(rng.chars(rng.int(0, 30), PRINTABLE)),
    () => b64(`GPC:S:${rng.pick(org.ids[rng.pick(NODE_TYPES)])}`), // a real row, maybe of the other organisation
    () => b64(`GPC:S:${uuid(rng)}`),
    () => b64('NOTGPC:S:x'),
    () => b64(`arrayconnection:${rng.int(-5, 1e6)}`),
    () => '',
    () => rng.pick(UNICODE),
    () => rng.chars(rng.int(5_000, 50_000), BASE62),
  ];
  // well-formed Pothos cursors holding something other than a UUID: 500 today (pinned below)
  const crafted = [
    'GPC:S:notauuid',
    'GPC:S:',
    'GPC:N:5',
    'GPC:Z:',
    'GPC:D:123',
    'GPC:O:{"a":1}',
    'GPC:I:99',
    'GPC:M:1',
  ];
  if (k && rng.bool(0.4)) return b64(rng.pick(crafted));
  return rng.pick(safe)();
}

function connectionArgs(rng: Rng, world: FuzzWorld, k: boolean): string {
  const args: string[] = [];
  if (rng.bool(0.6)) args.push(`first: ${literalOrRaw(rng, pageArgValue(rng))}`);
  if (rng.bool(0.4)) args.push(`last: ${literalOrRaw(rng, pageArgValue(rng))}`);
  if (rng.bool(0.4)) args.push(`after: ${literal(cursorValue(rng, world, k))}`);
  if (rng.bool(0.3)) args.push(`before: ${literal(cursorValue(rng, world, k))}`);
  return args.length ? `(${args.join(', ')})` : '';
}
function literalOrRaw(_rng: Rng, v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return literal(v);
}

/** Filters with hostile values, for the root connections that take them. */
function filterArgs(rng: Rng, world: FuzzWorld, root: string, k: boolean): string[] {
  const id = () => (rng.bool(0.5) ? realId(rng, world[rng.pick(['A', 'B'] as const)]) : junkId(rng, world));
  const s = () => literal(junkString(rng, k));
  const byRoot: Record<string, (() => string)[]> = {
    contractors: [
      () => `search: ${s()}`,
      () => `tag: ${s()}`,
      () => `status: ${rng.pick(['APPROVED', 'NOPE', '"APPROVED"', 'null', '1'])}`,
      () => `projectId: ${literal(id())}`,
      () =>
        `orderBy: ${rng.pick(['{ field: NAME }', '{ field: NOPE }', '{ direction: DESC }', '{ field: CREATED_AT, direction: UP }', '"NAME"', '[]'])}`,
    ],
    workers: [() => `search: ${s()}`, () => `contractorId: ${literal(id())}`],
    people: [() => `search: ${s()}`, () => `department: ${s()}`],
    goals: [
      () => `projectId: ${literal(id())}`,
      () => `ownerId: ${literal(id())}`,
      () => `status: ${rng.pick(['ON_TRACK', 'DONE', '""'])}`,
      () => `dueBefore: ${literal(badDate(rng, k))}`,
    ],
    conversations: [
      () => `projectId: ${literal(id())}`,
      () => `templateId: ${literal(id())}`,
      () => `status: ${rng.pick(['COMPLETED', 'X'])}`,
    ],
    recognitions: [
      () => `hashtag: ${s()}`,
      () => `projectId: ${literal(id())}`,
      () => `since: ${literal(badDateTime(rng, k))}`,
      () => `until: ${literal(rng.pick(['2020-01-01T00:00:00Z', badDateTime(rng, k)]))}`,
    ],
    projects: [() => `status: ${rng.pick(['ACTIVE', 'GONE', 'null'])}`],
  };
  const options = byRoot[root] ?? [];
  return options.filter(() => rng.bool(0.5)).map((f) => f());
}

function connectionQuery(rng: Rng, world: FuzzWorld, k: boolean): string {
  const root = rng.pick(ROOT_CONNECTIONS);
  let args = connectionArgs(rng, world, k);
  const filters = filterArgs(rng, world, root, k);
  if (filters.length) args = args ? `${args.slice(0, -1)}, ${filters.join(', ')})` : `(${filters.join(', ')})`;
  const nested = rng.pick([
    '',
    ' ... on Project { contractors' + connectionArgs(rng, world, k) + ' { totalCount edges { node { name } } } }',
    ' ... on Contractor { workers' +
      connectionArgs(rng, world, k) +
      ' { edges { node { firstName qualifications { name licenseNumber } } } } }',
    ' ... on Goal { comments' + connectionArgs(rng, world, k) + ' { totalCount } milestones { title } }',
  ]);
  return `{ ${root}${args} { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id __typename${nested} } } } }`;
}

// ---------------------------------------------------------------------------------------
// Request builders

interface Draft {
  category: string;
  label: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  caller?: Caller;
  expectStatus?: number | number[];
  expectCode?: string;
  mutation?: boolean;
}

const gqlBody = (query: string, variables?: unknown, operationName?: string) =>
  JSON.stringify({
    query,
    ...(variables === undefined ? {} : { variables }),
    ...(operationName ? { operationName } : {}),
  });

/** POST application/json of a GraphQL document, with the caller's credential. */
function post(
  category: string,
  label: string,
  caller: Caller,
  query: string,
  variables?: unknown,
  extra: Partial<Draft> = {},
): Draft {
  return {
    category,
    label: `${caller.label}: ${label}`,
    caller,
    method: 'POST',
    headers: { ...JSON_HEADERS, ...caller.headers },
    body: gqlBody(query, variables),
    ...extra,
  };
}

function transportCase(rng: Rng, world: FuzzWorld, k: boolean): Draft {
  const caller = pickCaller(rng, world);
  const valid = gqlBody('{ viewer { kind } }');
  const c = (
    label: string,
    contentType: string | null,
    body: string | Uint8Array<ArrayBuffer>,
    expectStatus?: number,
  ): Draft => ({
    category: 'transport',
    label: `${caller.label}: ${label}`,
    caller,
    method: 'POST',
    headers: {
      accept: 'application/json',
      ...(contentType === null ? {} : { 'content-type': contentType }),
      ...caller.headers,
    },
    body,
    expectStatus,
  });
  switch (rng.int(0, 21)) {
    case 0:
      return c('truncated JSON', 'application/json', valid.slice(0, rng.int(0, valid.length - 1)));
    case 1:
      return c('random bytes as JSON', 'application/json', rng.bytes(rng.int(1, 2000)));
    case 2: {
      const shape = rng.pick([
        'null',
        '42',
        '"str"',
        'true',
        '[]',
        '{}',
        '{"query":null}',
        '{"query":{}}',
        '{"query":["{ viewer { kind } }"]}',
        '{"query":"{ viewer { kind } }","variables":[]}',
        '{"query":"{ viewer { kind } }","variables":"{}"}',
        '{"query":"{ viewer { kind } }","operationName":{}}',
        '{"query":"{ viewer { kind } }","extensions":[]}',
        '{"query":"x","query":"{ viewer { kind } }"}',
        '{"__proto__":{"query":"{ viewer { kind } }"}}',
        '{"query":"{ viewer { kind } }","variables":{"__proto__":{"a":1}}}',
        '{"query":"{ viewer { kind } }","constructor":{"prototype":{"x":1}}}',
      ]);
      return c(`JSON of the wrong shape ${shape.slice(0, 40)}`, 'application/json', shape);
    }
    case 3: {
      const batch = JSON.stringify(Array.from({ length: rng.int(1, 50) }, () => ({ query: '{ viewer { kind } }' })));
      return c('batched request', 'application/json', batch);
    }
    case 4: {
      const depth = rng.int(1_000, 100_000);
      const where = rng.pick(['variables', 'extensions']);
      return c(
        `JSON nested ${depth} deep in ${where}`,
        'application/json',
        `{"query":"{ viewer { kind } }","${where}":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      );
    }
    case 5:
      return c(
        'JSON with trailing garbage / comments / single quotes',
        'application/json',
        rng.pick([
          valid + 'garbage',
          `// c\n${valid}`,
          valid.replace(/"/g, "'"),
          `{"query":"{ viewer { kind } }",}`,
          '{"query":NaN}',
          '\ufeff' + valid,
        ]),
      );
    case 6:
      return c(
        'invalid UTF-8 inside a JSON string',
        'application/json',
        new Uint8Array([
          ...Buffer.from('{"query":"{ viewer { kind } } #'),
          0xc3,
          0x28,
          0xff,
          0xfe,
          ...Buffer.from('"}'),
        ]),
      );
    case 7:
      return c('UTF-16 JSON', 'application/json; charset=utf-16', new Uint8Array(Buffer.from(valid, 'utf16le')));
    case 8: {
      const type = rng.pick([
        'text/plain',
        'application/octet-stream',
        'application/xml',
        'text/html',
        'application/jsonx',
        'image/png',
        ';;;',
        'x'.repeat(5000),
        'application/json+graphql',
        '*/*',
      ]);
      return c(`content-type ${type.slice(0, 30)}`, type, valid);
    }
    case 9:
      return c('no content-type', null, rng.bool() ? valid : 'query={viewer{kind}}');
    case 10:
      return c(
        'content-type with odd parameters',
        rng.pick([
          'application/json; charset=latin1',
          'APPLICATION/JSON',
          'application/json, text/plain',
          'application/json;;charset=',
          'application/json; boundary=x',
        ]),
        valid,
      );
    case 11:
      return c(
        'application/graphql',
        'application/graphql',
        rng.pick(['{ viewer { kind } }', '{ viewer { ', rng.chars(200, PRINTABLE)]),
      );
    case 12: {
      const form = rng.pick([
        'query=%7Bviewer%7Bkind%7D%7D',
        '%%%&&==',
        'query=' + encodeURIComponent('mutation { revokeApiKey(input: { id: "x" }) { __typename } }'),
        // malformed JSON in variables: 500 today (pinned)
        k ? 'query=%7Bviewer%7Bkind%7D%7D&variables=%7Bbad' : 'query=%7Bviewer%7Bkind%7D%7D&variables=%5B%5D',
        'query=%7Bviewer%7Bkind%7D%7D&variables=' + encodeURIComponent('{"a":1}') + '&operationName=Nope',
        'query=' + 'a'.repeat(rng.int(10, 50_000)),
        '=&=&=',
        'query=%ZZ',
      ]);
      return c('form-urlencoded', 'application/x-www-form-urlencoded', form);
    }
    case 13:
    case 14: {
      const boundary = rng.pick(['xyz', '----fuzz' + rng.chars(10, BASE62), '']);
      const part = (name: string, value: string, filename?: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`;
      // operations that are no object, map entries that are no list of paths: 500 today (pinned)
      const badOperations = rng.pick(['null', '42', '"x"', 'true', '[null]']);
      const badMap = rng.pick(['{"0":null}', '{"0":[1]}', '{"0":"variables.x"}', '{"0":[{}]}']);
      const variants = [
        ...(k
          ? [
              part('operations', badOperations) + `--${boundary}--`,
              part('operations', gqlBody('{ viewer { kind } }')) +
                part('map', badMap) +
                part('0', 'x', 'a.txt') +
                `--${boundary}--`,
            ]
          : []),
        part('operations', '{bad') + `--${boundary}--`,
        part('operations', gqlBody('{ viewer { kind } }')) + `--${boundary}--`,
        part('operations', gqlBody('query($f: Upload) { viewer { kind } }', { f: null })) +
          part('map', '{"0":["variables.f"]}') +
          part('0', 'x', 'a.txt') +
          `--${boundary}--`,
        part('operations', gqlBody('{ viewer { kind } }')) + part('map', '[[[') + `--${boundary}--`,
        part('operations', gqlBody('{ viewer { kind } }')) +
          part('map', '{"0":["variables.a.b.c.__proto__"]}') +
          part('0', 'x', 'a.txt') +
          `--${boundary}--`,
        part('map', '{}') + `--${boundary}--`,
        part('operations', '{}') + `--${boundary}--`,
        part('operations', '[]') + `--${boundary}--`,
        part('operations', gqlBody('{ viewer { kind } }')) + part('map', rng.pick(['{}', 'null'])) + `--${boundary}--`,
        part('operations', gqlBody('{ viewer { kind } }')) /* no closing boundary */,
        Array.from({ length: rng.int(100, 2000) }, (_, i) => part(`p${i}`, 'x')).join('') + `--${boundary}--`,
        rng.chars(500, PRINTABLE),
      ];
      return c(
        'multipart',
        rng.bool(0.9) ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data',
        rng.pick(variants),
      );
    }
    case 15:
      return c('empty body', 'application/json', '');
    case 16:
      return c('whitespace body', 'application/json', ' \n\t '.repeat(rng.int(1, 1000)));
    case 17:
      return c(
        'JSON with huge number / exotic escapes',
        'application/json',
        rng.pick([
          '{"query":"{ viewer { kind } }","variables":{"a":1e999999}}',
          '{"query":"\\u0000"}',
          '{"query":"\\ud800"}',
          `{"query":"{ viewer { kind } }","variables":{"a":${'9'.repeat(5000)}}}`,
        ]),
      );
    case 18: {
      const accept = rng.pick([
        'image/png',
        'text/html',
        '*/*',
        '',
        'application/graphql-response+json;q=0',
        'application/json;q=0.1, text/html',
      ]);
      return {
        ...c(`accept ${accept}`, 'application/json', valid),
        headers: { 'content-type': 'application/json', accept, ...caller.headers },
      };
    }
    case 19:
      return c(
        'operationName unknown',
        'application/json',
        gqlBody(
          'query A { viewer { kind } } query B { viewer { kind } }',
          undefined,
          rng.pick(['C', '', 'a'.repeat(1000)]),
        ),
      );
    case 20:
      return c(
        'two operations, no operationName',
        'application/json',
        gqlBody('query A { viewer { kind } } query B { viewer { kind } }'),
      );
    default:
      return {
        ...c('content-length lies', 'application/json', valid),
        headers: { ...JSON_HEADERS, ...caller.headers, 'content-length': String(rng.int(0, 10)) },
      };
  }
}

function getCase(rng: Rng, world: FuzzWorld, k: boolean): Draft {
  const caller = pickCaller(rng, world);
  const qs = (params: Record<string, string>) =>
    '/graphql?' +
    Object.entries(params)
      .map(([key, v]) => `${key}=${encodeURIComponent(v)}`)
      .join('&');
  const headers = { accept: 'application/graphql-response+json, application/json', ...caller.headers };
  const g = (label: string, path: string, extra: Partial<Draft> = {}): Draft => ({
    category: 'get',
    label: `${caller.label}: GET ${label}`,
    caller,
    method: 'GET',
    path,
    headers,
    ...extra,
  });
  switch (rng.int(0, 11)) {
    case 0:
    case 1: {
      const m = mutationDocument(rng, world, caller, k);
      return g(`with a mutation (${m.label})`, qs({ query: m.query, variables: JSON.stringify(m.variables) }), {
        // 405, or 400 when the document does not even parse
        expectStatus: caller.role === 'rejected' ? undefined : [405, 400],
        mutation: true,
      });
    }
    case 2:
      return g('a query', qs({ query: connectionQuery(rng, world, k) }));
    case 3:
      return g('without a query', rng.pick(['/graphql', '/graphql?', '/graphql?query=', '/graphql?variables=%7B%7D']));
    case 4: {
      // malformed JSON in variables/extensions: 500 today (pinned below)
      const bad = k
        ? rng.pick(['{bad', '[', 'nul', '{"a":'])
        : rng.pick(['"str"', '42', '[]', 'null', '{"a":{"b":[1,2]}}']);
      const param = rng.pick(['variables', 'extensions']);
      return g(`${param}=${bad}`, qs({ query: '{ viewer { kind } }', [param]: bad }));
    }
    case 5:
      return g(
        'query with wrong variable types',
        qs({
          query: 'query($f: Int) { projects(first: $f) { totalCount } }',
          variables: JSON.stringify({ f: pageArgValue(rng) }),
        }),
      );
    case 6:
      return g('GraphiQL for a browser', '/graphql', { headers: { accept: 'text/html,application/xhtml+xml' } });
    case 7:
      return g(
        'percent-encoding garbage',
        rng.pick([
          '/graphql?query=%E0%A4%A',
          '/graphql?query=%',
          '/graphql?%%%=1',
          '/graphql?query=%00%00',
          '/graphql?query={viewer{kind}}&query=mutation{x}',
          '/graphql?query[]=a&query[]=b',
        ]),
      );
    case 8:
      return g('huge URL', qs({ query: `{ viewer { kind } } #${'x'.repeat(rng.int(10_000, 200_000))}` }));
    case 9:
      return g('subscription', qs({ query: 'subscription { viewer { kind } }' }));
    case 10:
      return g(
        'operationName mismatch',
        qs({ query: 'query A { viewer { kind } }', operationName: rng.pick(['B', '', '{}']) }),
      );
    default:
      return g('a query with a GET body-style accept', qs({ query: '{ viewer { kind } }' }), {
        headers: { ...caller.headers, accept: rng.pick(['*/*', 'application/json', '']) },
      });
  }
}

function methodCase(rng: Rng, world: FuzzWorld): Draft {
  const caller = pickCaller(rng, world);
  const method = rng.pick([
    'PUT',
    'DELETE',
    'PATCH',
    'OPTIONS',
    'HEAD',
    'PROPFIND',
    'TRACE',
    'FOO',
    'CONNECT',
    'LINK',
    'PURGE',
    'post',
    'GET',
    'POST',
  ]);
  const path = rng.pick([
    '/graphql',
    '/graphql',
    '/',
    '/graphql/',
    '/GraphQL',
    '/graphql?x=1',
    '/graphql/../graphql',
    '/%2e%2e/graphql',
    '//graphql',
    '/graphql%00',
    '/graphql;jsessionid=1',
    '/health',
    '/ready',
    '/oauth/token',
    '/graphiql',
    '/.env',
    `/${rng.chars(rng.int(1, 30), BASE62)}/${rng.chars(5, BASE62)}`,
    `/graphql/${'a'.repeat(rng.int(100, 5000))}`,
  ]);
  const hasBody = !['GET', 'HEAD'].includes(method.toUpperCase());
  const expectStatus =
    ['PUT', 'DELETE', 'PATCH', 'PROPFIND', 'FOO'].includes(method) && path === '/graphql' ? 405 : undefined;
  return {
    category: 'method',
    label: `${caller.label}: ${method} ${path.slice(0, 60)}`,
    caller,
    method,
    path,
    headers: { ...JSON_HEADERS, ...caller.headers },
    ...(hasBody
      ? {
          body: gqlBody(
            rng.bool() ? '{ viewer { kind } }' : 'mutation { revokeApiKey(input: { id: "x" }) { __typename } }',
          ),
        }
      : {}),
    expectStatus,
  };
}

function hugeCase(rng: Rng, world: FuzzWorld): Draft {
  const caller = pickCaller(rng, world);
  const LIMIT = 1_000_000;
  const over = rng.bool(0.5);
  const target = over ? LIMIT + rng.int(1, 600_000) : LIMIT - rng.int(1_000, 200_000);
  const pad = (prefixLength: number) => 'x'.repeat(Math.max(0, target - prefixLength));
  let body: string;
  let label: string;
  switch (rng.int(0, 4)) {
    case 0: {
      const head = '{"query":"{ viewer { kind } } #';
      body = `${head}${pad(head.length + 2)}"}`;
      label = 'comment';
      break;
    }
    case 1: {
      const head = '{"query":"query($s: String) { contractors(search: $s) { totalCount } }","variables":{"s":"';
      body = `${head}${pad(head.length + 3)}"}}`;
      label = 'search string';
      break;
    }
    case 2: {
      const head =
        '{"query":"mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { __typename userErrors { code } } }","variables":{"i":{"projectIds":[],"name":"';
      body = `${head}${pad(head.length + 4)}"}}}`;
      label = 'mutation input (no projects: a userError at most)';
      break;
    }
    case 3:
      body = pad(0);
      label = 'not JSON';
      break;
    default: {
      const ids = Math.floor(target / 12);
      body = JSON.stringify({
        query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        variables: { ids: Array.from({ length: ids }, (_, i) => `i${i}`) },
      });
      label = 'id list';
    }
  }
  const size = Buffer.byteLength(body);
  return {
    category: 'huge',
    label: `${caller.label}: ${size} bytes, ${label}`,
    caller,
    method: 'POST',
    headers: { ...JSON_HEADERS, ...caller.headers, ...(rng.bool(0.5) ? { 'content-length': String(size) } : {}) },
    body,
    expectStatus: size > LIMIT ? 413 : undefined,
    mutation: label.startsWith('mutation'),
  };
}

function hugeHeaderCase(rng: Rng, world: FuzzWorld): Draft {
  const caller = pickCaller(rng, world);
  const header = rng.pick(['x-custom', 'cookie', 'user-agent', 'x-forwarded-for', 'content-length']);
  const value =
    header === 'content-length'
      ? rng.pick(['abc', '-1', '1e3', ' 10', '99999999999999999999', ''])
      : 'y'.repeat(rng.int(10_000, 200_000));
  return post('huge', `header ${header} of ${value.length} chars`, caller, '{ viewer { kind } }', undefined, {
    headers: { ...JSON_HEADERS, ...caller.headers, [header]: value },
  });
}

function shapeCase(rng: Rng, world: FuzzWorld): Draft {
  const caller = pickCaller(rng, world, ['admin', 'readKey', 'writeKey']);
  let query: string;
  let label: string;
  switch (rng.int(0, 17)) {
    case 0: {
      const depth = rng.int(14, 300);
      query = `{ people { edges { node { ${'manager { '.repeat(depth)} id ${'} '.repeat(depth)} } } } }`;
      label = `manager chain ${depth} deep`;
      break;
    }
    case 1: {
      // deep, but below where graphql-js's recursive parser overflows the stack (see known bugs)
      const depth = rng.int(16, 800);
      query = `{ viewer ${'{ kind '.repeat(depth)}${'}'.repeat(depth + 1)}`;
      label = `selection sets ${depth} deep`;
      break;
    }
    case 2: {
      const depth = rng.int(10, 1_500);
      query = `{ nodes(ids: ${'['.repeat(depth)}"x"${']'.repeat(depth)}) { id } }`;
      label = `list literal ${depth} deep`;
      break;
    }
    case 3: {
      const depth = rng.int(10, 1_000);
      query = `{ viewer { kind } } mutation { createProject(input: ${'{ name: '.repeat(depth)}"x"${' }'.repeat(depth)}) { __typename } }`;
      label = `object literal ${depth} deep`;
      break;
    }
    case 4: {
      const n = rng.int(31, 2_000);
      const field = rng.pick(['viewer { kind }', 'projects { totalCount }', '__typename', 'node(id: "x") { id }']);
      query = `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
      label = `${n} aliases of ${field}`;
      break;
    }
    case 5: {
      const inner = rng.int(5, 30);
      const spreads = rng.int(2, 200);
      query = `query { ${Array.from({ length: spreads }, () => '...F').join(' ')} } fragment F on Query { ${Array.from({ length: inner }, (_, i) => `f${i}: projects(first: 100) { edges { node { contractors(first: 100) { totalCount } } } }`).join(' ')} }`;
      label = `alias bomb through ${spreads} fragment spreads × ${inner}`;
      break;
    }
    case 6: {
      const n = rng.int(2, 400);
      const fragments = Array.from(
        { length: n },
        (_, i) => `fragment F${i} on Query { viewer { kind } ...F${(i + 1) % n} }`,
      ).join(' ');
      query = `query { ...F0 } ${fragments}`;
      label = `fragment cycle of ${n}`;
      break;
    }
    case 7:
      query = rng.pick([
        'query { ...A } fragment A on Query { ...A }',
        'query { ...Missing }',
        'query { ...A } fragment A on Project { id }',
        'query { ...A } fragment A on Query { viewer { kind } } fragment A on Query { __typename }',
        'fragment A on Query { __typename }',
        'query { viewer { ...on Nope { x } } }',
      ]);
      label = 'fragment misuse';
      break;
    case 8: {
      const n = rng.int(21, 1_000);
      const directive = rng.pick([
        '@include(if: true)',
        '@skip(if: false)',
        '@deprecated',
        '@foo',
        '@skip',
        '@skip(if: "yes")',
        '@include(if: $x)',
      ]);
      query = `{ viewer { kind ${`${directive} `.repeat(n)} } }`;
      label = `${n} × ${directive}`;
      break;
    }
    case 9:
      query = rng.pick([
        'query @skip(if: true) { viewer { kind } }',
        'query($a: Int @deprecated) { viewer { kind } }',
        '{ viewer @specifiedBy(url: "x") { kind } }',
        'query { viewer { kind @include(if: true) @include(if: false) } }',
        'directive @x on FIELD query { viewer { kind } }',
        'schema { query: Query } { viewer { kind } }',
        'type Foo { a: Int } { viewer { kind } }',
        'extend type Query { x: Int } { viewer { kind } }',
      ]);
      label = 'directive and SDL misuse';
      break;
    case 10: {
      const n = rng.int(5_001, 20_000);
      query = `{ viewer { ${'kind '.repeat(n)} } }`;
      label = `${n} tokens`;
      break;
    }
    case 11: {
      const parts = [
        '{',
        '}',
        '(',
        ')',
        '[',
        ']',
        ':',
        '$',
        '@',
        '...',
        '!',
        '=',
        '|',
        '&',
        'query',
        'mutation',
        'fragment',
        'on',
        'viewer',
        'kind',
        '"str"',
        '"""block"""',
        '1',
        '1.5e9',
        'true',
        'null',
        '#c\n',
        ',',
        '"\\u{110000}"',
        '"\\x"',
        '"unterminated',
        '\u00a0',
        '\u0007',
        '\ud83d',
      ];
      query = Array.from({ length: rng.int(1, 300) }, () => rng.pick(parts)).join(rng.pick([' ', '', '\n']));
      label = 'token soup';
      break;
    }
    case 12:
      query = rng.pick([
        '{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }',
        '{ __type(name: "ApiKey") { fields { name } } }',
        '{ __type(name: 1) { name } }',
        '{ __schema { directives { name args { name } } } }',
      ]);
      label = 'introspection';
      break;
    case 13:
      query = rng.pick([
        '{ nope }',
        '{ viewer }',
        '{ viewer { kind { x } } }',
        '{ projects(nope: 1) { totalCount } }',
        '{ projects { edges { node { id secret } } } }',
        '{ apiKeys { edges { node { secretHash } } } }',
        '{ viewer { kind } viewer: projects { totalCount } }',
        '{ node { id } }',
        '{ nodes { id } }',
        'query Q($v: Nope) { viewer { kind } }',
        'query Q($v: Viewer) { viewer { kind } }',
        'query Q { node(id: $undeclared) { id } }',
      ]);
      label = 'invalid selection';
      break;
    case 14: {
      const first = rng.int(50, 100);
      query = `{ projects(first: ${first}) { edges { node { contractors(first: ${first}) { edges { node { workers(first: ${first}) { edges { node { id } } } } } } } } } }`;
      label = `cost of ${first}³`;
      break;
    }
    case 15: {
      const n = rng.int(100, 3_000);
      query = `{ ${'viewer { kind } '.repeat(n)} }`;
      label = `${n} repeated fields`;
      break;
    }
    case 16:
      query = `query ${rng.pick(['', 'A', 'A($x: Int = "str")', 'A($x: Int!, $x: Int)', 'A($x: [[[[Int]]]])'])} { viewer { kind } }`;
      label = 'odd operation definitions';
      break;
    default: {
      const n = rng.int(2, 200);
      query = Array.from({ length: n }, (_, i) => `query Q${i} { viewer { kind } }`).join(' ');
      label = `${n} operations`;
    }
  }
  return post('shape', label, caller, query);
}

function variablesCase(rng: Rng, world: FuzzWorld, k: boolean): Draft {
  const caller = pickCaller(rng, world, ['admin', 'readKey', 'writeKey']);
  const org = world[caller.home];
  const templates: [string, string, () => unknown][] = [
    ['Int', 'query($v: Int) { projects(first: $v) { totalCount } }', () => pageArgValue(rng)],
    [
      'Int!',
      'query($v: Int!) { goals(last: $v) { totalCount } }',
      () => rng.pick<unknown>([null, '5', 5.5, [5], { v: 5 }]),
    ],
    [
      'ID!',
      `query($v: ID!) { node(id: $v) ${NODE_SELECTION} }`,
      () => rng.pick<unknown>([{}, [], 123, true, null, 1.5, ['x'], { id: realId(rng, org) }, junkId(rng, world)]),
    ],
    [
      '[ID!]!',
      `query($v: [ID!]!) { nodes(ids: $v) ${NODE_SELECTION} }`,
      () =>
        rng.pick<unknown>([
          'x',
          [null],
          [[]],
          [{}],
          Array.from({ length: rng.int(0, 500) }, () => junkId(rng, world)),
          { 0: 'x' },
        ]),
    ],
    [
      'ApprovalStatus',
      'query($v: ApprovalStatus) { contractors(status: $v) { totalCount } }',
      () => rng.pick<unknown>(['NOPE', 1, 'approved', ['APPROVED'], { a: 1 }]),
    ],
    [
      'ContractorOrder',
      'query($v: ContractorOrder) { contractors(orderBy: $v) { totalCount } }',
      () =>
        rng.pick<unknown>([
          { field: 'X' },
          { direction: 'ASC' },
          { field: 'NAME', extra: 1 },
          'NAME',
          [{ field: 'NAME' }],
        ]),
    ],
    [
      'Date',
      'query($v: Date) { goals(dueBefore: $v) { totalCount } }',
      () => rng.pick<unknown>([badDate(rng, k), 0, 1e15, true]),
    ],
    [
      'DateTime',
      'query($v: DateTime) { recognitions(since: $v) { totalCount } }',
      () => rng.pick<unknown>([badDateTime(rng, k), -1, {}, '2020-01-01T00:00:00Z']),
    ],
    [
      'String',
      'query($v: String) { contractors(search: $v) { totalCount } workers(search: $v) { totalCount } people(search: $v) { totalCount } recognitions(hashtag: $v) { totalCount } }',
      () => rng.pick<unknown>([junkString(rng, k), 1, true, {}, ['a']]),
    ],
    ['String for Int', 'query($v: String) { projects(first: $v) { totalCount } }', () => '5'],
    [
      'Boolean',
      'query($v: Boolean!) { viewer { kind @include(if: $v) } }',
      () => rng.pick<unknown>(['true', 1, null, []]),
    ],
    ['missing', 'query($v: ID!) { node(id: $v) { id } }', () => undefined],
    ['unused extra', 'query { viewer { kind } }', () => ({ nested: { a: [1, 2, { b: null }] } })],
  ];
  const [label, query, value] = rng.pick(templates);
  const v = value();
  const variables = v === undefined ? (rng.bool() ? {} : { other: 1 }) : { v };
  return post('variables', `$v: ${label} = ${JSON.stringify(v)?.slice(0, 60)}`, caller, query, variables);
}

function paginationCase(rng: Rng, world: FuzzWorld, k: boolean): Draft {
  const caller = pickCaller(rng, world, ['admin', 'readKey', 'writeKey']);
  if (rng.bool(0.3)) {
    const value = pageArgValue(rng);
    const arg = rng.pick(['first', 'last']);
    const root = rng.pick(ROOT_CONNECTIONS);
    return post(
      'pagination',
      `${root}(${arg}: $n = ${JSON.stringify(value)})`,
      caller,
      `query($n: Int) { ${root}(${arg}: $n) { totalCount edges { cursor } } }`,
      { n: value },
    );
  }
  return post('pagination', 'connection with hostile arguments', caller, connectionQuery(rng, world, k));
}

function idsCase(rng: Rng, world: FuzzWorld): Draft {
  const caller = pickCaller(rng, world, ['admin', 'readKey', 'writeKey']);
  const other = world[caller.home === 'A' ? 'B' : 'A'];
  const id = () =>
    rng.weighted<() => string>([
      [3, () => junkId(rng, world)],
      [3, () => realId(rng, other)], // the other organisation's rows: must behave as not found
      [1, () => globalId('ApiKey', rng.pick(other.ids.ApiKey))],
      [1, () => realId(rng, world[caller.home])],
    ])();
  switch (rng.int(0, 3)) {
    case 0: {
      const v = id();
      return post('ids', `node(${v.slice(0, 50)})`, caller, `query($id: ID!) { node(id: $id) ${NODE_SELECTION} }`, {
        id: v,
      });
    }
    case 1: {
      const ids = Array.from({ length: rng.int(1, 200) }, id);
      return post(
        'ids',
        `nodes(${ids.length} ids)`,
        caller,
        `query($ids: [ID!]!) { nodes(ids: $ids) ${NODE_SELECTION} }`,
        { ids },
      );
    }
    case 2: {
      const v = id();
      return post('ids', `node literal ${v.slice(0, 50)}`, caller, `{ node(id: ${literal(v)}) ${NODE_SELECTION} }`);
    }
    default: {
      const filter = rng.pick([
        ['contractors', 'projectId'],
        ['goals', 'projectId'],
        ['goals', 'ownerId'],
        ['workers', 'contractorId'],
        ['conversations', 'templateId'],
        ['recognitions', 'projectId'],
      ]);
      return post(
        'ids',
        `${filter[0]}(${filter[1]}: other/junk id)`,
        caller,
        `query($id: ID) { ${filter[0]}(${filter[1]}: $id) { totalCount edges { node ${NODE_SELECTION} } } }`,
        { id: id() },
      );
    }
  }
}

function mutationCase(rng: Rng, world: FuzzWorld, k: boolean): Draft {
  const caller = pickCaller(rng, world);
  const m = mutationDocument(rng, world, caller, k);
  return post('mutation', m.label, caller, m.query, m.variables, {
    mutation: true,
    expectCode: caller.rejectedWith,
    expectStatus: caller.rejectedWith ? 401 : undefined,
  });
}

function tokenCase(rng: Rng, world: FuzzWorld): Draft {
  const caller = pickCaller(rng, world, rng.bool(0.8) ? ['rejected'] : undefined);
  const query = rng.pick([
    '{ viewer { kind } }',
    '{ projects { totalCount edges { node { name } } } }',
    `{ node(id: ${literal(realId(rng, world[caller.home]))}) ${NODE_SELECTION} }`,
  ]);
  return post('token', 'token check', caller, query, undefined, {
    expectStatus: caller.rejectedWith ? 401 : caller.role === 'rejected' ? undefined : 200,
    expectCode: caller.rejectedWith,
  });
}

/** `X-Request-Id` values: sane ones come back, anything else is replaced. */
export function requestIdValue(rng: Rng): { value: string; sane: boolean } {
  const options: [string, boolean][] = [
    [rng.chars(rng.int(1, 128), BASE62 + '._-'), true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['abc\r\nSet-Cookie: pwned=1', false],
    ['abc\r\nInjected: yes', false],
    ['a\nb', false],
    ['a\rb', false],
    ['a\u0000b', false],
    ['é', false],
    ['😀', false],
    ['Ã©', false],
    ['x'.repeat(10_240), false],
    [' padded ', false],
    ['a b', false],
    ['<script>', false],
    ['../../etc', false],
    ['', false],
    ['%0d%0aInjected: yes', false],
    ['id;drop', false],
  ];
  const [value, sane] = rng.pick(options);
  return { value, sane };
}

function requestIdCase(rng: Rng, world: FuzzWorld, k: boolean): Draft {
  const caller = pickCaller(rng, world);
  return rng.bool(0.7)
    ? post('requestId', 'X-Request-Id injection', caller, '{ viewer { kind } }')
    : { ...transportCase(rng, world, k), category: 'requestId' };
}

// ---------------------------------------------------------------------------------------

const CATEGORIES: [number, (rng: Rng, world: FuzzWorld, k: boolean) => Draft][] = [
  [14, transportCase],
  [6, getCase],
  [6, methodCase],
  [2, (rng, world) => hugeCase(rng, world)],
  [1, (rng, world) => hugeHeaderCase(rng, world)],
  [14, (rng, world) => shapeCase(rng, world)],
  [10, variablesCase],
  [9, paginationCase],
  [10, (rng, world) => idsCase(rng, world)],
  [18, mutationCase],
  [10, (rng, world) => tokenCase(rng, world)],
  [5, requestIdCase],
];

/** `count` cases from `seed`; the same seed always gives the same cases. */
export function generateCases(world: FuzzWorld, seed: number, { count, knownBugs }: GenerateOptions): FuzzCase[] {
  const rng = new Rng(seed);
  const cases: FuzzCase[] = [];
  for (let index = 0; index < count; index++) {
    const draft = rng.weighted(CATEGORIES)(rng, world, knownBugs);
    const headers = { ...(draft.headers ?? {}) };
    let saneRequestId: string | undefined;
    if (draft.category === 'requestId' || rng.bool(0.25)) {
      const rid = requestIdValue(rng);
      headers['x-request-id'] = rid.value;
      if (rid.sane) saneRequestId = rid.value;
    }
    const caller = draft.caller;
    cases.push({
      index,
      category: draft.category,
      label: draft.label,
      method: draft.method ?? 'POST',
      path: draft.path ?? '/graphql',
      headers,
      body: draft.body,
      sees: caller?.org ? [caller.org] : [],
      saneRequestId,
      expectStatus: draft.expectStatus === undefined ? undefined : [draft.expectStatus].flat(),
      expectCode: draft.expectCode,
      mutation: draft.mutation,
    });
  }
  return cases;
}
