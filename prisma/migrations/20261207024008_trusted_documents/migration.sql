-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "persistedDocumentsOnly" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PersistedDocument" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "documentId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "operationName" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersistedDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PersistedDocument_createdById_idx" ON "PersistedDocument"("createdById");

-- CreateIndex
CREATE UNIQUE INDEX "PersistedDocument_organizationId_documentId_key" ON "PersistedDocument"("organizationId", "documentId");

-- AddForeignKey
ALTER TABLE "PersistedDocument" ADD CONSTRAINT "PersistedDocument_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersistedDocument" ADD CONSTRAINT "PersistedDocument_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Authentication reads persistedDocumentsOnly (credential-lookup.ts): a change empties every
-- instance's credential cache (migration credential_cache).
DROP TRIGGER credentials_changed ON "ApiKey";
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
    "id", "organizationId", "keyId", "secretHash", "previousSecretHash", "previousSecretExpiresAt", "allowWrites",
    "canReadQualificationData", "canWritePeople", "state", "expiresAt", "deletedAt", "allowedIps",
    "permissions", "rateLimitRequests", "rateLimitPerSeconds", "accessTokenTtlSeconds", "persistedDocumentsOnly"
  ON "ApiKey" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
