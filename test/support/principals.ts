import type { ApiKeyPrincipal } from '../../src/core/principal.ts';

/** A key principal of its own (a fresh id), for budget tests that call a rate limiter directly. */
export const freshKeyPrincipal = (label: string): ApiKeyPrincipal => ({
  kind: 'API_KEY',
  organizationId: 'o',
  apiKeyId: `${label}-${Date.now()}-${Math.random()}`,
  keyId: 'k',
  allowWrites: false,
  canReadQualificationData: false,
  canWritePeople: false,
  rateLimit: null,
  accessTokenTtlSeconds: null,
  projectIds: [],
  permissions: null,
  persistedDocumentsOnly: false,
  expiresAt: null,
  accessToken: null,
});
