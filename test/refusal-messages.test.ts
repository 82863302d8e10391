import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, mutationDocument } from './support/mutations.ts';
import { apiKeyFixture, globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/* Refusals say why: which credential was refused, which flag, permission or role a field needs. */

let server: TestServer;
let acme: OrganizationScenario;
let readOnly: { id: string; token: string };

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Whyco', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  readOnly = await apiKeyFixture(server.db.prisma, acme.organizationId, { projectIds: acme.projectIds });
});
afterAll(() => server?.close());

const message = (res: { body: { errors?: { message: string }[] } }) => res.body.errors?.[0]?.message;

describe('401: the credential the client sent, never whether it exists', () => {
  it('no credential: a 401 whose WWW-Authenticate has no error code (RFC 6750 §3.1)', async () => {
    const res = await server.graphql(null, '{ viewer { kind } }');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="crewgraph"');
    expect(message(res)).toMatch(/^Authentication required/);
  });

  it('a deleted API key and a made-up one read the same, naming an API key', async () => {
    const deleted = await apiKeyFixture(server.db.prisma, acme.organizationId, { projectIds: acme.projectIds });
    await server.graphql(acme.adminToken, mutationDocument('deleteApiKey', 'deletedApiKeyId'), {
      input: { id: globalId('ApiKey', deleted.id) },
    });
    const [prefix, keyId, secret] = readOnly.token.split('_');
    const madeUp = `${prefix}_${'Z'.repeat(keyId!.length)}_${secret}`;
    const answers = await Promise.all(
      [deleted.token, madeUp].map((token) => server.graphql(token, '{ viewer { kind } }')),
    );
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="crewgraph", error="invalid_token"');
    }
    expect(message(answers[0]!)).toBe('This API key is not valid (it may have been cycled, deleted or mistyped).');
    // A made-up key id fails its checksum: malformed, said as such.
    expect(message(answers[1]!)).toMatch(/^(This API key is not valid|The token is malformed)/);
  });

  it('an admin token with a wrong secret names an admin token; garbage is malformed', async () => {
    const wrong = acme.adminToken.slice(0, -1) + (acme.adminToken.endsWith('A') ? 'B' : 'A');
    const res = await server.graphql(wrong, '{ viewer { kind } }');
    expect(message(res)).toMatch(/^(This admin token is not valid|The token is malformed)/);
    expect(message(await server.graphql('not-a-token', '{ viewer { kind } }'))).toBe(
      'The token is malformed: expected an admin token (cga_…), an API key (cgk_…) or an access token (cgt_…).',
    );
  });
});

describe('403: the flag, permission or role a field needs', () => {
  it("a read-only key's write says the key is read-only", async () => {
    const res = await server.graphql(readOnly.token, mutationDocument('createContractor', 'contractor { id }'), {
      input: { name: 'X', projectIds: [globalId('Project', acme.projectIds[0]!)] },
    });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(message(res)).toBe(
      '`Mutation.createContractor` needs WRITE on CONTRACTORS, and this API key is read-only (allowWrites: false).',
    );
  });

  it('the qualification field names canReadQualificationData', async () => {
    const res = await server.graphql(readOnly.token, '{ workers { edges { node { qualifications { name } } } } }');
    expect(message(res)).toBe(
      '`Worker.qualifications` needs canReadQualificationData, which this API key does not have.',
    );
  });

  it('an admin-only mutation names who may call it', async () => {
    const res = await server.graphql(readOnly.token, mutationDocument('createProject', 'project { id }'), {
      input: { name: 'Nope', code: 'NOPE' },
    });
    expect(message(res)).toBe("`Mutation.createProject` is for the organisation's owners and admins only.");
  });
});
