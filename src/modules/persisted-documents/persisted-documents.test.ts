import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, mutationDocument, payloadOf, rawId } from '../../../test/support/mutations.ts';
import { globalId, projectAdminToken, writeScenario, type WriteScenario } from '../../../test/support/scenarios.ts';
import type { GraphQLResponse } from '../../../test/support/server.ts';

/* Trusted documents (docs/trusted-documents.md): registration, running by id, persisted-only keys. */

const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const doc = (body: string) => ({ id: `sha256:${hex(body)}`, body });

const CONTRACTORS = doc('query Contractors { contractors(first: 5) { totalCount edges { node { name } } } }');
const NEW_CONTRACTOR = doc(
  'mutation NewContractor($input: CreateContractorInput!) { createContractor(input: $input) { contractor { id name } userErrors { code } } }',
);
const VIEWER = doc('query Me { viewer { kind } }');
const OTHERS_ONLY = doc('query OnlyOther { projects(first: 1) { totalCount } }');

const REGISTER = mutationDocument(
  'registerPersistedDocuments',
  'registered persistedDocuments { id documentId operationName }',
);
const DELETE = mutationDocument('deletePersistedDocument', 'deletedPersistedDocumentId');
const CREATE_KEY = mutationDocument('createApiKey', 'apiKey { id persistedDocumentsOnly } token');
const UPDATE_KEY = mutationDocument('updateApiKey', 'apiKey { id persistedDocumentsOnly }');

let s: WriteScenario;
let persistedOnly: { id: string; token: string };
let projectAdmin: string;

/** A request as a client sends it: any JSON body, or GET with query-string parameters. */
async function send(
  token: string | null,
  body: Record<string, unknown>,
  method: 'POST' | 'GET' = 'POST',
): Promise<GraphQLResponse> {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const accept = 'application/graphql-response+json, application/json';
  const response =
    method === 'GET'
      ? await s.server.yoga.fetch(
          `http://crewgraph.test/graphql?${new URLSearchParams(
            Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
          )}`,
          { headers: { accept, ...auth } },
        )
      : await s.server.yoga.fetch('http://crewgraph.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept, ...auth },
          body: JSON.stringify(body),
        });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const register = (token: string, documents: { id: string; body: string }[]) =>
  s.server.graphql(token, REGISTER, { input: { documents } });
const documentCount = (organizationId = s.acme.organizationId) =>
  s.server.db.prisma.persistedDocument.count({ where: { organizationId } });
const contractorCount = () => s.server.db.prisma.contractor.count({ where: { organizationId: s.acme.organizationId } });
const newContractor = (name: string) => ({ input: { name, projectIds: [globalId('Project', s.acme.projectIds[0])] } });

beforeAll(async () => {
  s = await writeScenario();
  projectAdmin = await projectAdminToken(s.server.db.prisma, 'Acme', [s.acme.projectIds[0]]);
  const endpoint = await s.server.graphql(
    s.acme.adminToken,
    mutationDocument('createWebhookEndpoint', 'webhookEndpoint { id }'),
    { input: { url: 'https://hooks.acme.test/keys', events: ['api_key.created', 'api_key.updated'] } },
  );
  payloadOf(endpoint, 'createWebhookEndpoint');
  const created = payloadOf(
    await s.server.graphql(s.acme.adminToken, CREATE_KEY, {
      input: {
        name: 'Payroll sync (trusted only)',
        projectIds: [globalId('Project', s.acme.projectIds[0])],
        allowWrites: true,
        persistedDocumentsOnly: true,
      },
    }),
    'createApiKey',
  );
  expect(created.apiKey.persistedDocumentsOnly).toBe(true);
  persistedOnly = { id: created.apiKey.id, token: created.token };
});
afterAll(() => s?.server.close());

describe('registerPersistedDocuments', () => {
  it('registers the documents of a manifest once; sending them again changes nothing', async () => {
    const first = payloadOf(
      await register(s.acme.adminToken, [CONTRACTORS, NEW_CONTRACTOR, VIEWER]),
      'registerPersistedDocuments',
    );
    expect(first.userErrors).toEqual([]);
    expect(first.registered).toBe(3);
    expect(first.persistedDocuments.map((d: { documentId: string }) => d.documentId)).toEqual([
      CONTRACTORS.id,
      NEW_CONTRACTOR.id,
      VIEWER.id,
    ]);
    expect(first.persistedDocuments.map((d: { operationName: string }) => d.operationName)).toEqual([
      'Contractors',
      'NewContractor',
      'Me',
    ]);
    // The bare hex is the same id; a repeat is not new.
    const again = payloadOf(
      await register(s.acme.adminToken, [{ id: hex(CONTRACTORS.body), body: CONTRACTORS.body }, VIEWER]),
      'registerPersistedDocuments',
    );
    expect(again.registered).toBe(0);
    expect(again.persistedDocuments.map((d: { id: string }) => d.id)).toEqual([
      first.persistedDocuments[0].id,
      first.persistedDocuments[2].id,
    ]);
    expect(await documentCount()).toBe(3);
    const events = await s.server.db.prisma.auditEvent.findMany({
      where: { organizationId: s.acme.organizationId, action: 'persisted_document.registered' },
    });
    expect(events).toHaveLength(3);
  });

  it('refuses an id that is not the SHA-256 of the body, and stores nothing of the call', async () => {
    const fresh = doc('query Fresh { projects(first: 2) { totalCount } }');
    const res = await register(s.acme.adminToken, [
      fresh,
      { id: `sha256:${hex('something else')}`, body: fresh.body },
      { id: 'md5:1234', body: fresh.body },
    ]);
    const payload = payloadOf(res, 'registerPersistedDocuments');
    expect(payload.registered).toBeNull();
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'documents', '1', 'id'], 'INVALID'],
      [['input', 'documents', '2', 'id'], 'INVALID'],
    ]);
    expect(await documentCount()).toBe(3);
  });

  it('refuses a document that does not parse or does not validate against the schema', async () => {
    const unknownField = doc('query Bad { contractors(first: 1) { noSuchField } }');
    const unparsable = doc('query Broken { contractors(first: 1) {');
    const fragmentsOnly = doc('fragment F on Contractor { name }');
    const payload = payloadOf(
      await register(s.acme.adminToken, [unknownField, unparsable, fragmentsOnly]),
      'registerPersistedDocuments',
    );
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'documents', '0', 'body'], 'INVALID'],
      [['input', 'documents', '1', 'body'], 'INVALID'],
      [['input', 'documents', '2', 'body'], 'INVALID'],
    ]);
    expect(payload.userErrors[0].message).toContain('noSuchField');
    expect(await documentCount()).toBe(3);
  });

  it('takes 1 to 500 documents per call', async () => {
    const none = payloadOf(await register(s.acme.adminToken, []), 'registerPersistedDocuments');
    expect(none.userErrors.map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    const many = Array.from({ length: 501 }, (_, i) => doc(`query Q${i} { viewer { kind } }`));
    const tooMany = payloadOf(await register(s.acme.adminToken, many), 'registerPersistedDocuments');
    expect(tooMany.userErrors.map((e) => e.code)).toEqual(['OUT_OF_RANGE']);
    expect(await documentCount()).toBe(3);
  });

  it('is FORBIDDEN for a project admin and for keys', async () => {
    const fresh = doc('query ByProjectAdmin { viewer { kind } }');
    for (const token of [projectAdmin, s.keys.writer, persistedOnly.token]) {
      const res =
        token === persistedOnly.token
          ? await send(token, { query: REGISTER, variables: { input: { documents: [fresh] } } })
          : await register(token, [fresh]);
      expect(errorCodes(res)).toEqual([token === persistedOnly.token ? 'PERSISTED_DOCUMENT_REQUIRED' : 'FORBIDDEN']);
    }
    expect(await documentCount()).toBe(3);
  });

  it('lists the documents for admins only', async () => {
    const list =
      'query { persistedDocuments(first: 10) { totalCount edges { node { documentId body createdBy { email } } } } }';
    const res = await s.server.graphql(s.acme.adminToken, list);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.persistedDocuments.totalCount).toBe(3);
    expect(res.body.data.persistedDocuments.edges[0].node.body).toBe(CONTRACTORS.body);
    expect(res.body.data.persistedDocuments.edges[0].node.createdBy.email).toBe('owner@acme.test');
    expect(errorCodes(await s.server.graphql(s.keys.readOnly, list))).toEqual(['FORBIDDEN']);
  });
});

describe('running a trusted document by id', () => {
  it('runs a registered query for a persisted-only key: documentId, bare hex, APQ hash, and GET', async () => {
    const requests: [Record<string, unknown>, 'POST' | 'GET'][] = [
      [{ documentId: CONTRACTORS.id }, 'POST'],
      [{ documentId: hex(CONTRACTORS.body) }, 'POST'],
      [{ extensions: { persistedQuery: { version: 1, sha256Hash: hex(CONTRACTORS.body) } } }, 'POST'],
      [{ documentId: CONTRACTORS.id }, 'GET'],
    ];
    for (const [body, method] of requests) {
      const res = await send(persistedOnly.token, body, method);
      expect(res.body.errors).toBeUndefined();
      expect(res.status).toBe(200);
      expect(res.body.data.contractors.totalCount).toBe(1);
    }
  });

  it('runs a registered mutation by id with variables', async () => {
    const before = await contractorCount();
    const res = await send(persistedOnly.token, {
      documentId: NEW_CONTRACTOR.id,
      variables: newContractor('Trusted Co'),
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createContractor.contractor.name).toBe('Trusted Co');
    expect(await contractorCount()).toBe(before + 1);
  });

  it('refuses any text from a persisted-only key (403), and a mutation sent as text writes nothing', async () => {
    const before = await contractorCount();
    const raw = await send(persistedOnly.token, { query: NEW_CONTRACTOR.body, variables: newContractor('Sneaky Co') });
    expect(raw.status).toBe(403);
    expect(errorCodes(raw)).toEqual(['PERSISTED_DOCUMENT_REQUIRED']);
    expect(raw.body.data).toBeUndefined();
    // Even the exact text of a registered document, and even with its APQ hash beside it.
    const withHash = await send(persistedOnly.token, {
      query: CONTRACTORS.body,
      extensions: { persistedQuery: { version: 1, sha256Hash: hex(CONTRACTORS.body) } },
    });
    expect(errorCodes(withHash)).toEqual(['PERSISTED_DOCUMENT_REQUIRED']);
    expect(errorCodes(await send(persistedOnly.token, {}))).toEqual(['PERSISTED_DOCUMENT_REQUIRED']);
    expect(await contractorCount()).toBe(before);
  });

  it('answers an unknown id with PERSISTED_DOCUMENT_NOT_FOUND (404); APQ clients get PersistedQueryNotFound', async () => {
    for (const token of [persistedOnly.token, s.keys.readOnly, s.acme.adminToken]) {
      const unknown = await send(token, { documentId: `sha256:${hex('never registered')}` });
      expect(unknown.status).toBe(404);
      expect(errorCodes(unknown)).toEqual(['PERSISTED_DOCUMENT_NOT_FOUND']);
      expect(unknown.body.errors[0].message).toMatch(/No trusted document/);
    }
    const malformed = await send(persistedOnly.token, { documentId: 'not-a-hash' });
    expect(errorCodes(malformed)).toEqual(['PERSISTED_DOCUMENT_NOT_FOUND']);
    const apq = await send(persistedOnly.token, {
      extensions: { persistedQuery: { version: 1, sha256Hash: hex('never registered') } },
    });
    expect(errorCodes(apq)).toEqual(['PERSISTED_DOCUMENT_NOT_FOUND']);
    expect(apq.body.errors[0].message).toBe('PersistedQueryNotFound');
  });

  it("treats another organisation's document as unknown", async () => {
    const otherRegistered = payloadOf(await register(s.other.adminToken, [OTHERS_ONLY]), 'registerPersistedDocuments');
    expect(otherRegistered.registered).toBe(1);
    expect(errorCodes(await send(s.other.adminToken, { documentId: OTHERS_ONLY.id }))).toEqual([]);
    for (const token of [persistedOnly.token, s.acme.adminToken]) {
      expect(errorCodes(await send(token, { documentId: OTHERS_ONLY.id }))).toEqual(['PERSISTED_DOCUMENT_NOT_FOUND']);
    }
    // Nor can Acme list or delete it.
    const list = await s.server.graphql(s.acme.adminToken, 'query { persistedDocuments { totalCount } }');
    expect(list.body.data.persistedDocuments.totalCount).toBe(3);
    const foreign = await s.server.graphql(s.acme.adminToken, DELETE, {
      input: { id: otherRegistered.persistedDocuments[0].id },
    });
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
    expect(await documentCount(s.other.organizationId)).toBe(1);
  });

  it('lets admins and keys without the flag still send text, or ids', async () => {
    for (const token of [s.acme.adminToken, s.keys.readOnly]) {
      const raw = await send(token, { query: CONTRACTORS.body });
      expect(raw.body.errors).toBeUndefined();
      const byId = await send(token, { documentId: CONTRACTORS.id });
      expect(byId.body.data).toEqual(raw.body.data);
    }
  });

  it('refuses a request with both a text and a documentId (400)', async () => {
    const both = await send(s.keys.readOnly, { query: CONTRACTORS.body, documentId: CONTRACTORS.id });
    expect(both.status).toBe(400);
    expect(errorCodes(both)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers a documentId without a credential with 401, as any request', async () => {
    const res = await send(null, { documentId: CONTRACTORS.id });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('persistedDocumentsOnly on keys', () => {
  it('is in the key audit trail and the api_key.* webhook body, and turning it off allows text again', async () => {
    const createdBody = await s.server.db.prisma.webhookEvent.findFirstOrThrow({
      where: { apiKeyId: rawId(persistedOnly.id), type: 'api_key.created' },
    });
    expect((createdBody.payload as any).data.apiKey.persistedDocumentsOnly).toBe(true);

    const updated = payloadOf(
      await s.server.graphql(s.acme.adminToken, UPDATE_KEY, {
        input: { id: persistedOnly.id, persistedDocumentsOnly: false },
      }),
      'updateApiKey',
    );
    expect(updated.apiKey.persistedDocumentsOnly).toBe(false);
    const raw = await send(persistedOnly.token, { query: CONTRACTORS.body });
    expect(raw.body.errors).toBeUndefined();

    const trail = await s.server.db.prisma.apiKeyEvent.findMany({
      where: { apiKeyId: rawId(persistedOnly.id) },
      orderBy: { createdAt: 'asc' },
    });
    expect(trail.map((e) => e.action)).toEqual(['CREATED', 'UPDATED']);
    expect((trail[0].changes as any).persistedDocumentsOnly).toEqual({ before: null, after: true });
    expect(trail[1].changes).toEqual({ persistedDocumentsOnly: { before: true, after: false } });
    const updatedBody = await s.server.db.prisma.webhookEvent.findFirstOrThrow({
      where: { apiKeyId: rawId(persistedOnly.id), type: 'api_key.updated' },
    });
    expect((updatedBody.payload as any).data.apiKey.persistedDocumentsOnly).toBe(false);

    // Back on: refused again on the very next request.
    await s.server.graphql(s.acme.adminToken, UPDATE_KEY, {
      input: { id: persistedOnly.id, persistedDocumentsOnly: true },
    });
    expect(errorCodes(await send(persistedOnly.token, { query: CONTRACTORS.body }))).toEqual([
      'PERSISTED_DOCUMENT_REQUIRED',
    ]);
  });

  it('holds for access tokens issued for the key', async () => {
    const response = await s.server.yoga.fetch('http://crewgraph.test/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: persistedOnly.token.split('_')[1],
        client_secret: persistedOnly.token,
      }),
    });
    const { access_token: accessToken } = (await response.json()) as { access_token: string };
    expect(errorCodes(await send(accessToken, { query: CONTRACTORS.body }))).toEqual(['PERSISTED_DOCUMENT_REQUIRED']);
    const byId = await send(accessToken, { documentId: CONTRACTORS.id });
    expect(byId.body.errors).toBeUndefined();
    expect(byId.body.data.contractors.totalCount).toBeGreaterThan(0);
  });
});

describe('deletePersistedDocument', () => {
  it('deletes a document: its id is unknown from the next request on', async () => {
    const list = await s.server.graphql(
      s.acme.adminToken,
      'query { persistedDocuments { edges { node { id documentId } } } }',
    );
    const viewer = list.body.data.persistedDocuments.edges.find((e: any) => e.node.documentId === VIEWER.id).node;
    expect(errorCodes(await s.server.graphql(projectAdmin, DELETE, { input: { id: viewer.id } }))).toEqual([
      'FORBIDDEN',
    ]);
    const deleted = payloadOf(
      await s.server.graphql(s.acme.adminToken, DELETE, { input: { id: viewer.id } }),
      'deletePersistedDocument',
    );
    expect(deleted.deletedPersistedDocumentId).toBe(viewer.id);
    expect(errorCodes(await send(persistedOnly.token, { documentId: VIEWER.id }))).toEqual([
      'PERSISTED_DOCUMENT_NOT_FOUND',
    ]);
    expect(
      await s.server.db.prisma.auditEvent.count({
        where: { action: 'persisted_document.deleted', targetId: rawId(viewer.id) },
      }),
    ).toBe(1);
  });
});
