import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { badUserInput, persistedDocumentNotFound, persistedDocumentRequired } from '../core/errors.ts';
import type { Principal } from '../core/principal.ts';
import { documentHash } from '../modules/persisted-documents/document-id.ts';
import { findPersistedDocument } from '../modules/persisted-documents/persisted-document.service.ts';
import { toGraphQLError } from './error-contract.ts';
import { requestInfo } from './request-info.ts';

type Params = GraphQLParams & { documentId?: unknown };

const NOT_FOUND =
  'No trusted document with this id is registered for your organisation (documentId is "sha256:" and the hex SHA-256 of the document).';
/** What APQ clients (Apollo's persisted-queries link and others) look for before they send the text. */
const APQ_NOT_FOUND = 'PersistedQueryNotFound';
/** Stands in for the text of a request already refused (see below); it never runs. */
const PLACEHOLDER = '{ __typename }';

/** GraphQL over HTTP's `documentId` (POST body or GET query string), else APQ's `extensions.persistedQuery.sha256Hash`. */
function sentDocumentId(params: Params, request: Request): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  if (request.method === 'GET') {
    const fromUrl = new URL(request.url).searchParams.get('documentId');
    if (fromUrl) return fromUrl;
  }
  return defaultExtractPersistedOperationId(params, request, {});
}

const sentByApq = (params: Params, request: Request) =>
  typeof params.documentId !== 'string' && !new URL(request.url).searchParams.has('documentId');

const persistedOnly = (principal: Principal | undefined) =>
  principal?.kind === 'API_KEY' && principal.persistedDocumentsOnly;

const coded = (error: ReturnType<typeof badUserInput>) => toGraphQLError(error, { beforeExecution: true });

/**
 * Trusted documents (docs/trusted-documents.md), with Yoga's persisted-operations plugin: a
 * request naming a document by id runs the text its organisation registered (one indexed
 * lookup, no cache, so a deleted document stops at once; another organisation's id is as
 * unknown as any). A key with persistedDocumentsOnly is refused any text; everyone else may
 * still send one. Runs after authentication and the rate limit, so a lookup is paid for.
 */
export function usePersistedDocuments(prisma: PrismaClient): Plugin {
  const persisted = usePersistedOperations<{}>({
    allowArbitraryOperations: (request) => !persistedOnly(requestInfo(request).principal),
    extractPersistedOperationId: (params, request) => sentDocumentId(params, request),
    getPersistedOperation: async (id, request) => {
      const info = requestInfo(request);
      const hash = documentHash(id);
      const document = hash && (await findPersistedDocument(prisma, info.principal!.organizationId, hash));
      if (!document) return null;
      info.operationName ??= document.operationName ?? undefined;
      return document.body;
    },
    customErrors: {
      persistedQueryOnly: () => coded(persistedDocumentRequired()),
      keyNotFound: () => coded(persistedDocumentRequired()),
      notFound: ({ params, request }) =>
        coded(persistedDocumentNotFound(sentByApq(params, request) ? APQ_NOT_FOUND : NOT_FOUND)),
    },
  });
  return {
    ...persisted,
    onParams(payload) {
      const { request, setParams } = payload;
      const params = payload.params as Params;
      const info = requestInfo(request);
      const documentId = sentDocumentId(params, request);
      if (!info.principal || info.rateLimit?.allowed === false) {
        // Authentication or the rate limit has answered already. Yoga's parameter check, which runs
        // after every plugin, would replace that answer with "Must provide query string".
        if (!params.query && documentId !== null) setParams({ ...params, query: PLACEHOLDER });
        return;
      }
      if (params.query && typeof params.documentId === 'string') {
        throw coded(badUserInput('Send either query (a document text) or documentId, not both.'));
      }
      // Neither text nor id, from a principal that may send text: Yoga's own "Must provide query string".
      if (!params.query && documentId === null && !persistedOnly(info.principal)) return;
      return persisted.onParams!(payload);
    },
  };
}
