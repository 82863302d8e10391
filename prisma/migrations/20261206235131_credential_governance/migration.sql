-- DropIndex
DROP INDEX "ApiKey_organizationId_name_key";

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN     "scope" TEXT;

-- AlterTable
ALTER TABLE "AdminToken" ADD COLUMN     "createdById" UUID,
ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "name" TEXT;

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "accessTokenTtlSeconds" INTEGER,
ADD COLUMN     "description" TEXT,
ADD COLUMN     "normalizedName" TEXT,
ADD COLUMN     "permissions" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "rateLimitPerSeconds" INTEGER,
ADD COLUMN     "rateLimitRequests" INTEGER,
ADD COLUMN     "revokedReason" TEXT;

-- Key names become unique case-insensitively (and ignoring surrounding spaces). Where live keys
-- already share a name that way, the oldest keeps it and each newer one gets its keyId appended
-- ("payroll SYNC (k7Qm2xV9pL3a)"), recorded in its audit trail as a rename by no admin.
WITH ranked AS (
  SELECT id, name, row_number() OVER (PARTITION BY "organizationId", lower(btrim(name)) ORDER BY "createdAt", id) AS n
    FROM "ApiKey" WHERE "deletedAt" IS NULL
), renamed AS (
  UPDATE "ApiKey" k SET name = k.name || ' (' || k."keyId" || ')', "updatedAt" = CURRENT_TIMESTAMP
    FROM ranked r WHERE r.id = k.id AND r.n > 1
  RETURNING k.id, k."organizationId", r.name AS before, k.name AS after
)
INSERT INTO "ApiKeyEvent" (id, "organizationId", "apiKeyId", "actorId", action, changes, "requestId")
SELECT gen_random_uuid(), "organizationId", id, NULL, 'UPDATED',
       jsonb_build_object('name', jsonb_build_object('before', before, 'after', after)), 'migration credential_governance'
  FROM renamed;
UPDATE "ApiKey" SET "normalizedName" = lower(btrim(name));
ALTER TABLE "ApiKey" ALTER COLUMN "normalizedName" SET NOT NULL;

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "defaultRateLimitPerSeconds" INTEGER,
ADD COLUMN     "defaultRateLimitRequests" INTEGER,
ADD COLUMN     "maxAdminTokenLifetimeDays" INTEGER,
ADD COLUMN     "maxKeyLifetimeDays" INTEGER,
ADD COLUMN     "requireKeyExpiry" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "revokeIdleKeysAfterDays" INTEGER;

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" UUID,
    "projectIds" UUID[] DEFAULT ARRAY[]::UUID[],
    "changes" JSONB NOT NULL DEFAULT '{}',
    "requestId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_createdAt_id_idx" ON "AuditEvent"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_targetType_targetId_idx" ON "AuditEvent"("organizationId", "targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEvent_actorUserId_idx" ON "AuditEvent"("actorUserId");

-- CreateIndex
CREATE INDEX "AuditEvent_actorApiKeyId_idx" ON "AuditEvent"("actorApiKeyId");

-- CreateIndex
CREATE INDEX "ApiKey_organizationId_name_id_idx" ON "ApiKey"("organizationId", "name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_organizationId_normalizedName_key" ON "ApiKey"("organizationId", "normalizedName") WHERE ("deletedAt" IS NULL);

-- AddForeignKey
ALTER TABLE "AdminToken" ADD CONSTRAINT "AdminToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorUserId_fkey" FOREIGN KEY ("actorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorApiKeyId_fkey" FOREIGN KEY ("actorApiKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Authentication reads these too (credential-lookup.ts): a change empties every instance's
-- credential cache (migration credential_cache).
DROP TRIGGER credentials_changed ON "ApiKey";
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
    "id", "organizationId", "keyId", "secretHash", "previousSecretHash", "previousSecretExpiresAt", "allowWrites",
    "canReadQualificationData", "canWritePeople", "state", "expiresAt", "deletedAt", "allowedIps",
    "permissions", "rateLimitRequests", "rateLimitPerSeconds", "accessTokenTtlSeconds"
  ON "ApiKey" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
DROP TRIGGER credentials_changed ON "AccessToken";
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
    "apiKeyId", "tokenId", "secretHash", "keySecretHash", "expiresAt", "scope"
  ON "AccessToken" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
DROP TRIGGER credentials_changed ON "AdminToken";
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
    "tokenId", "secretHash", "revokedAt", "organizationId", "userId", "expiresAt"
  ON "AdminToken" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
