-- CreateTable
CREATE TABLE "CredentialCacheLease" (
    "id" UUID NOT NULL,
    "renewal" BIGSERIAL NOT NULL,
    "validUntil" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "CredentialCacheLease_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CredentialCacheLease_validUntil_idx" ON "CredentialCacheLease"("validUntil");

-- Every instance caching verified credentials LISTENs on this channel and drops its cache when
-- told (src/db/credential-cache.ts). A trigger rather than the services: no write to what
-- authentication reads can be missed, whoever makes it. Statement-level, and only for the
-- columns authentication reads, so recording a key's last use does not empty the caches.
CREATE FUNCTION crewgraph_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crewgraph_credentials', '');
  RETURN NULL;
END $$;

CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
    "id", "organizationId", "keyId", "secretHash", "previousSecretHash", "previousSecretExpiresAt", "allowWrites",
    "canReadQualificationData", "state", "expiresAt", "deletedAt", "allowedIps"
  ON "ApiKey" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE
  ON "_ApiKeyProjects" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
    "apiKeyId", "tokenId", "secretHash", "keySecretHash", "expiresAt"
  ON "AccessToken" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
    "tokenId", "secretHash", "revokedAt", "organizationId", "userId"
  ON "AdminToken" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
CREATE TRIGGER credentials_changed AFTER DELETE OR TRUNCATE OR UPDATE OF "id", "role", "deactivatedAt"
  ON "User" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE
  ON "_ProjectAdmins" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
