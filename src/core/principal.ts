import type { AdminRole } from '../generated/prisma/enums.ts';
import type { PermissionList } from './permissions.ts';

export interface AdminPrincipal {
  kind: 'ADMIN';
  organizationId: string;
  userId: string;
  role: AdminRole;
  /** For a PROJECT_ADMIN, the projects they administer; null for OWNER and ADMIN (the whole organisation). */
  projectIds: string[] | null;
  /** Public id of the admin token used (safe to log). */
  tokenId: string;
}

export interface ApiKeyPrincipal {
  kind: 'API_KEY';
  organizationId: string;
  apiKeyId: string;
  /** Public id of the key (safe to log). */
  keyId: string;
  allowWrites: boolean;
  canReadQualificationData: boolean;
  /** Creates and updates the organisation's people; only ever true together with allowWrites. */
  canWritePeople: boolean;
  projectIds: string[];
  /** The key's finer permissions per resource (core/permissions.ts); null: its flags alone decide. */
  permissions: PermissionList;
  /** Runs only the organisation's registered (persisted) documents, never a raw query text. */
  persistedDocumentsOnly: boolean;
  expiresAt: Date | null;
  /** The key's request budget (its own or its organisation's default); null: the server's. */
  rateLimit: { requests: number; perSeconds: number } | null;
  /** The lifetime of access tokens issued for the key; null: the server's. */
  accessTokenTtlSeconds: number | null;
  /**
   * Set when the request came with a short-lived access token (`cgt_…`) issued for the key;
   * `scope: 'read'` narrowed it to reads (allowWrites and canWritePeople are then false).
   */
  accessToken: { tokenId: string; expiresAt: Date; scope: string | null } | null;
}

export type Principal = AdminPrincipal | ApiKeyPrincipal;
