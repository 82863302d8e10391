import { createHash } from 'node:crypto';

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const PREFIX = 'sha256:';

/**
 * The lower-case hex SHA-256 a document id names: `sha256:<hex>` (GraphQL over HTTP's
 * prefixed document id, and the keys of graphql-codegen's persisted-documents manifest) or
 * the bare hex (APQ's `sha256Hash`); null for anything else.
 */
export function documentHash(id: string): string | null {
  const hex = id.startsWith(PREFIX) ? id.slice(PREFIX.length) : id;
  return SHA256_HEX.test(hex) ? hex.toLowerCase() : null;
}

/** The hex SHA-256 of a document's exact text (UTF-8), as the manifest and APQ clients compute it. */
export const sha256Hex = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');

/** The prefixed form clients send as `documentId`. */
export const prefixedDocumentId = (hash: string) => `${PREFIX}${hash}`;
