import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../src/modules/admins/admin.service.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startServerProcess, type RunningServer } from './support/process.ts';
import { globalId } from './support/scenarios.ts';
import { eventually, freePort, startReceiver, type Receiver } from './support/webhook-receiver.ts';

// A killed process must not lose an event: the outbox row (and its graphile-worker job) is
// committed with the change. Needs a database that outlives the process: PostgreSQL.
describe.skipIf(!process.env.DATABASE_URL)('webhooks survive a killed server process', () => {
  let db: TestDatabase;
  let servers: RunningServer[] = [];
  let receiver: Receiver | undefined;
  let adminToken: string;
  let projectId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const admin = await createAdmin(db.prisma, { organizationName: 'Killed', email: 'owner@killed.test' });
    adminToken = admin.token;
    const project = await db.prisma.project.create({
      data: { organizationId: admin.organizationId, name: 'P', code: 'P' },
    });
    projectId = globalId('Project', project.id);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => (s.child.exitCode === null ? s.stop() : null)));
    await receiver?.close();
    await db?.drop();
  });

  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: db.url,
    PORT: '0',
    SEED_DEMO: '0',
    LOG_LEVEL: 'warn',
    WEBHOOKS_ALLOW_HTTP: '1',
    WEBHOOKS_RETRY_BASE_SECONDS: '1',
    ...extra,
  });

  async function call(server: RunningServer, query: string, variables: object) {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data: any };
  }

  it('an event committed just before SIGKILL is delivered after the restart', { timeout: 300_000 }, async () => {
    const port = await freePort(); // the receiver is not listening yet
    const first = await startServerProcess(env());
    servers.push(first);
    const created = await call(
      first,
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret userErrors { code } } }`,
      { input: { url: `http://127.0.0.1:${port}/hooks`, events: ['api_key.created'] } },
    );
    const { secret } = created.data.createWebhookEndpoint;
    const key = await call(
      first,
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id keyId } userErrors { code } } }`,
      { input: { name: 'survivor', projectIds: [projectId] } },
    );
    const { apiKey } = key.data.createApiKey;
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    const [pending] = await db.prisma.webhookDelivery.findMany();
    expect(pending.status).toBe('PENDING');

    receiver = await startReceiver(undefined, { port });
    receiver.secret = secret;
    const second = await startServerProcess(env());
    servers.push(second);
    const [delivered] = await receiver.waitFor(1, 60_000);
    expect(delivered.signatureValid).toBe(true);
    expect(delivered.body).toMatchObject({
      type: 'api_key.created',
      data: { apiKey: { id: apiKey.id, keyId: apiKey.keyId } },
    });
    const done = await eventually(async () => {
      const d = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: pending.id } });
      return d.status === 'SUCCEEDED' && d;
    });
    expect(done.deliveredAt).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(receiver.received).toHaveLength(1);
    await second.stop();
  });

  it(
    'a delivery in flight when the process is killed is retried after its claim runs out',
    { timeout: 300_000 },
    async () => {
      const port = await freePort();
      // A receiver that takes the connection and never answers: the attempt is in flight.
      const sockets = new Set<Socket>();
      const hanging = createTcpServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => hanging.listen(port, '127.0.0.1', resolve));
      const first = await startServerProcess(env({ WEBHOOKS_TIMEOUT_SECONDS: '2' }));
      servers.push(first);
      const created = await call(
        first,
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
        { input: { url: `http://127.0.0.1:${port}/hooks`, events: ['api_key.created'] } },
      );
      const { secret } = created.data.createWebhookEndpoint;
      await call(first, `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`, {
        input: { name: 'in flight', projectIds: [projectId] },
      });
      await eventually(async () => sockets.size > 0);
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGKILL');
      await exited;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hanging.close(resolve));

      const hooks = await startReceiver(undefined, { port });
      hooks.secret = secret;
      try {
        const second = await startServerProcess(env({ WEBHOOKS_TIMEOUT_SECONDS: '2' }));
        servers.push(second);
        const [delivered] = await hooks.waitFor(1, 60_000);
        expect(delivered.signatureValid).toBe(true);
        const delivery = await eventually(async () => {
          const d = await db.prisma.webhookDelivery.findFirst({
            where: { endpoint: { url: `http://127.0.0.1:${port}/hooks` } },
          });
          return d?.status === 'SUCCEEDED' && d;
        });
        expect(delivery.attempts).toBe(1); // the killed attempt never got recorded
        await second.stop();
      } finally {
        await hooks.close();
      }
    },
  );
});
