import type { Database, NamedStatement } from '../db/database.ts';
import type { AdminRole, ApiKeyState } from '../generated/prisma/enums.ts';

/**
 * The rows behind a presented token, each in ONE statement (with its project ids), because
 * authentication runs on every request (a repeated token is answered by the credential cache,
 * which every change empties on every instance first). Prisma's includes would cost 2–3 statements,
 * and its raw queries cost more CPU than a prepared statement on the driver (measured in
 * bench/auth-cost.ts).
 * The SQL comment marks them for tests that count what a query itself costs.
 */

export interface KeyRow {
  id: string;
  organizationId: string;
  keyId: string;
  secretHash: Uint8Array;
  previousSecretHash: Uint8Array | null;
  previousSecretExpiresAt: Date | null;
  allowWrites: boolean;
  canReadQualificationData: boolean;
  canWritePeople: boolean;
  /** The key's `[{ resource, access }]` list; empty when it has none. */
  permissions: unknown;
  persistedDocumentsOnly: boolean;
  state: ApiKeyState;
  expiresAt: Date | null;
  deletedAt: Date | null;
  allowedIps: string[];
  projectIds: string[];
  /** The budget in force: the key's own, else its organisation's default; null: the server's. */
  rateLimitRequests: number | null;
  rateLimitPerSeconds: number | null;
  accessTokenTtlSeconds: number | null;
}

export interface AccessTokenRow extends KeyRow {
  tokenId: string;
  tokenScope: string | null;
  tokenSecretHash: Uint8Array;
  keySecretHash: Uint8Array;
  tokenExpiresAt: Date;
}

export interface AdminTokenRow {
  tokenId: string;
  secretHash: Uint8Array;
  revokedAt: Date | null;
  expiresAt: Date | null;
  organizationId: string;
  userId: string;
  role: AdminRole;
  deactivatedAt: Date | null;
  projectIds: string[];
}

const KEY_COLUMNS = `k.id::text, k."organizationId"::text, k."keyId", k."secretHash", k."previousSecretHash",
       k."previousSecretExpiresAt", k."allowWrites", k."canReadQualificationData",
       k."canWritePeople", k.permissions, k."persistedDocumentsOnly", k.state::text AS state,
       k."expiresAt", k."deletedAt", k."allowedIps", k."accessTokenTtlSeconds",
       CASE WHEN k."rateLimitRequests" IS NULL THEN o."defaultRateLimitRequests" ELSE k."rateLimitRequests" END
         AS "rateLimitRequests",
       CASE WHEN k."rateLimitRequests" IS NULL THEN o."defaultRateLimitPerSeconds" ELSE k."rateLimitPerSeconds" END
         AS "rateLimitPerSeconds",
       ARRAY(SELECT p."B"::text FROM "_ApiKeyProjects" p WHERE p."A" = k.id) AS "projectIds"`;
const KEY_WITH_ORGANIZATION = `"ApiKey" k JOIN "Organization" o ON o.id = k."organizationId"`;

const API_KEY: NamedStatement = {
  name: 'crewgraph_authenticate_api_key',
  text: `/* authenticate */ SELECT ${KEY_COLUMNS} FROM ${KEY_WITH_ORGANIZATION} WHERE k."keyId" = $1`,
};

const ACCESS_TOKEN: NamedStatement = {
  name: 'crewgraph_authenticate_access_token',
  text: `/* authenticate */ SELECT ${KEY_COLUMNS},
       t."tokenId", t."secretHash" AS "tokenSecretHash", t."keySecretHash", t."expiresAt" AS "tokenExpiresAt",
       t.scope AS "tokenScope"
    FROM "AccessToken" t JOIN ${KEY_WITH_ORGANIZATION} ON k.id = t."apiKeyId" WHERE t."tokenId" = $1`,
};

const ADMIN_TOKEN: NamedStatement = {
  name: 'crewgraph_authenticate_admin_token',
  text: `/* authenticate */ SELECT t."tokenId", t."secretHash", t."revokedAt", t."expiresAt", t."organizationId"::text,
       t."userId"::text, u.role::text AS role, u."deactivatedAt",
       ARRAY(SELECT pa."A"::text FROM "_ProjectAdmins" pa WHERE pa."B" = u.id) AS "projectIds"
    FROM "AdminToken" t JOIN "User" u ON u.id = t."userId" WHERE t."tokenId" = $1`,
};

/** Every statement authentication runs; the credential cache's trigger must watch each column they read. */
export const AUTHENTICATION_STATEMENTS = [API_KEY, ACCESS_TOKEN, ADMIN_TOKEN];

type Db = Pick<Database, 'query'>;

export async function findApiKey(db: Db, keyId: string): Promise<KeyRow | null> {
  return (await db.query<KeyRow>(API_KEY, [keyId]))[0] ?? null;
}

export async function findAccessToken(db: Db, tokenId: string): Promise<AccessTokenRow | null> {
  return (await db.query<AccessTokenRow>(ACCESS_TOKEN, [tokenId]))[0] ?? null;
}

export async function findAdminToken(db: Db, tokenId: string): Promise<AdminTokenRow | null> {
  return (await db.query<AdminTokenRow>(ADMIN_TOKEN, [tokenId]))[0] ?? null;
}
