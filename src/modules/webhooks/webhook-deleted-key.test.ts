import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDocument, payloadOf, rawId } from '../../../test/support/mutations.ts';
import { globalId, organizationWith, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

/* A deleted key's webhook body says DELETED, as `ApiKey.status` does, not the state it had. */

let server: TestServer;
let acme: OrganizationScenario;
const clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ now: () => clock, webhooksAllowHttp: true });
  acme = await organizationWith(server.db.prisma, 'Hookdelete', { projects: 1, contractorsPerProject: 1 });
  const endpoint = await server.graphql(
    acme.adminToken,
    mutationDocument('createWebhookEndpoint', 'webhookEndpoint { id }'),
    {
      input: { url: 'http://127.0.0.1:9/hook', events: ['api_key.revoked', 'api_key.deleted'] },
    },
  );
  payloadOf(endpoint, 'createWebhookEndpoint');
});
afterAll(() => server?.close());

const keyBody = async (apiKeyId: string, type: string) => {
  const event = await server.db.prisma.webhookEvent.findFirstOrThrow({ where: { apiKeyId: rawId(apiKeyId), type } });
  return (event.payload as { data: { apiKey: Record<string, unknown> } }).data.apiKey;
};

describe('api_key.deleted webhook body', () => {
  for (const revokedFirst of [false, true]) {
    it(`has status DELETED and deletedAt (a key ${revokedFirst ? 'revoked' : 'active'} before)`, async () => {
      const created = await server.graphql(acme.adminToken, mutationDocument('createApiKey', 'apiKey { id }'), {
        input: { name: `Doomed ${revokedFirst}`, projectIds: [globalId('Project', acme.projectIds[0])] },
      });
      const id = payloadOf(created, 'createApiKey').apiKey.id;
      if (revokedFirst) {
        payloadOf(
          await server.graphql(acme.adminToken, mutationDocument('revokeApiKey', 'apiKey { id }'), { input: { id } }),
          'revokeApiKey',
        );
        expect((await keyBody(id, 'api_key.revoked')).status).toBe('INACTIVE');
      }
      const deleted = await server.graphql(acme.adminToken, mutationDocument('deleteApiKey', 'deletedApiKeyId'), {
        input: { id },
      });
      expect(payloadOf(deleted, 'deleteApiKey').deletedApiKeyId).toBe(id);
      const body = await keyBody(id, 'api_key.deleted');
      expect(body.status).toBe('DELETED');
      expect(body.deletedAt).toBe(clock.toISOString());
    });
  }
});
