-- canWritePeople is read by authentication (src/auth/credential-lookup.ts), so a change to it
-- must empty every instance's credential cache like the other flags (migration credential_cache).
DROP TRIGGER credentials_changed ON "ApiKey";
CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
    "id", "organizationId", "keyId", "secretHash", "previousSecretHash", "previousSecretExpiresAt", "allowWrites",
    "canReadQualificationData", "canWritePeople", "state", "expiresAt", "deletedAt", "allowedIps"
  ON "ApiKey" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
