-- A key without a budget of its own has its organisation's default, which authentication reads
-- (src/auth/credential-lookup.ts): changing the default must empty every instance's credential
-- cache, as a change to the key itself does (migration credential_cache).
CREATE TRIGGER credentials_changed AFTER DELETE OR TRUNCATE OR UPDATE OF
    "id", "defaultRateLimitRequests", "defaultRateLimitPerSeconds"
  ON "Organization" FOR EACH STATEMENT EXECUTE FUNCTION crewgraph_credentials_changed();
