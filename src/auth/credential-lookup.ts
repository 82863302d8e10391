import type { PrismaClient } from '../generated/prisma/client.ts';
import type { AdminRole, ApiKeyState } from '../generated/prisma/enums.ts';

/**
 * The rows behind a presented token, each in ONE statement (with its project ids), because
 * authentication runs on every request and reads the database every time so that a
 * revocation anywhere takes effect at once. Prisma's includes would cost 2–3 statements.
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
  state: ApiKeyState;
  expiresAt: Date | null;
  deletedAt: Date | null;
  allowedIps: string[];
  projectIds: string[];
}

export interface AccessTokenRow extends KeyRow {
  tokenId: string;
  tokenSecretHash: Uint8Array;
  keySecretHash: Uint8Array;
  tokenExpiresAt: Date;
}

export interface AdminTokenRow {
  tokenId: string;
  secretHash: Uint8Array;
  revokedAt: Date | null;
  organizationId: string;
  userId: string;
  role: AdminRole;
  deactivatedAt: Date | null;
  projectIds: string[];
}

export async function findApiKey(prisma: PrismaClient, keyId: string): Promise<KeyRow | null> {
  const rows = await prisma.$queryRaw<KeyRow[]>`/* authenticate */
    SELECT k.id::text, k."organizationId"::text, k."keyId", k."secretHash", k."previousSecretHash",
           k."previousSecretExpiresAt", k."allowWrites", k."canReadQualificationData", k.state::text,
           k."expiresAt", k."deletedAt", k."allowedIps",
           ARRAY(SELECT p."B"::text FROM "_ApiKeyProjects" p WHERE p."A" = k.id) AS "projectIds"
    FROM "ApiKey" k WHERE k."keyId" = ${keyId}`;
  return rows[0] ?? null;
}

export async function findAccessToken(prisma: PrismaClient, tokenId: string): Promise<AccessTokenRow | null> {
  const rows = await prisma.$queryRaw<AccessTokenRow[]>`/* authenticate */
    SELECT k.id::text, k."organizationId"::text, k."keyId", k."secretHash", k."previousSecretHash",
           k."previousSecretExpiresAt", k."allowWrites", k."canReadQualificationData", k.state::text,
           k."expiresAt", k."deletedAt", k."allowedIps",
           ARRAY(SELECT p."B"::text FROM "_ApiKeyProjects" p WHERE p."A" = k.id) AS "projectIds",
           t."tokenId", t."secretHash" AS "tokenSecretHash", t."keySecretHash", t."expiresAt" AS "tokenExpiresAt"
    FROM "AccessToken" t JOIN "ApiKey" k ON k.id = t."apiKeyId" WHERE t."tokenId" = ${tokenId}`;
  return rows[0] ?? null;
}

export async function findAdminToken(prisma: PrismaClient, tokenId: string): Promise<AdminTokenRow | null> {
  const rows = await prisma.$queryRaw<AdminTokenRow[]>`/* authenticate */
    SELECT t."tokenId", t."secretHash", t."revokedAt", t."organizationId"::text, t."userId"::text,
           u.role::text, u."deactivatedAt",
           ARRAY(SELECT pa."A"::text FROM "_ProjectAdmins" pa WHERE pa."B" = u.id) AS "projectIds"
    FROM "AdminToken" t JOIN "User" u ON u.id = t."userId" WHERE t."tokenId" = ${tokenId}`;
  return rows[0] ?? null;
}
