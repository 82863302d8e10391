import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/core/ids.ts';
import { createRateLimiter } from '../src/http/limits/rate-limit.ts';
import { organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * Every root list sorts by every field its `orderBy` offers, in both directions, and pages by
 * keyset in each of them (docs/api.md, "Sorting"): a walk in pages, forwards or backwards, reads
 * the same rows in the same order as one big page, and rows deleted (the one at the cursor
 * included) or inserted between pages make it neither skip nor repeat another row. Values tie
 * on purpose (ids break ties) and nullable fields hold nulls (sorted last).
 */

let server: TestServer;
let org: OrganizationScenario;
const ROWS = 40;

const LISTS: Record<string, { model: string; orderType: string }> = {
  projects: { model: 'project', orderType: 'ProjectOrderField' },
  contractors: { model: 'contractor', orderType: 'ContractorOrderField' },
  workers: { model: 'worker', orderType: 'WorkerOrderField' },
  people: { model: 'person', orderType: 'PersonOrderField' },
  goals: { model: 'goal', orderType: 'GoalOrderField' },
  conversations: { model: 'conversation', orderType: 'ConversationOrderField' },
  recognitions: { model: 'recognition', orderType: 'RecognitionOrderField' },
  apiKeys: { model: 'apiKey', orderType: 'ApiKeyOrderField' },
  webhookEndpoints: { model: 'webhookEndpoint', orderType: 'WebhookEndpointOrderField' },
  conversationTemplates: { model: 'conversationTemplate', orderType: 'ConversationTemplateOrderField' },
  admins: { model: 'user', orderType: 'AdminOrderField' },
};

/** A few instants and names, so that sort values tie and ids have to break the ties. */
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + (n % 5)));
const word = (n: number) => ['Alder', 'birch', 'Cedar', 'alder', 'Elm'][n % 5];
const maybe = <T>(n: number, value: T) => (n % 3 === 0 ? null : value);

/** Row `n` of each list, written with Prisma: the fixture (the API under test reads it). */
function rowsFor(n: number, o: OrganizationScenario, contractorId: string) {
  const organizationId = o.organizationId;
  const times = { createdAt: day(n), updatedAt: day(n + 2) };
  const unique = `${n}-${randomBytes(4).toString('hex')}`;
  return {
    project: { organizationId, name: word(n), code: `C${unique}`, ...times },
    contractor: { organizationId, name: word(n), ...times },
    worker: { organizationId, contractorId, firstName: word(n + 1), lastName: word(n), ...times },
    person: { organizationId, name: word(n), email: `p${unique}@orderings.test`, ...times },
    goal: {
      organizationId,
      projectId: o.projectIds[0],
      ownerId: o.personIds[1],
      title: word(n),
      dueOn: maybe(n, day(n)),
      ...times,
    },
    conversation: {
      organizationId,
      projectId: o.projectIds[0],
      templateId: o.templateIds[0],
      scheduledFor: maybe(n, day(n)),
      ...times,
    },
    recognition: {
      organizationId,
      projectId: o.projectIds[0],
      giverId: o.personIds[1],
      message: word(n),
      createdAt: times.createdAt,
    },
    apiKey: {
      organizationId,
      name: `${word(n)} ${unique}`,
      normalizedName: `${word(n)} ${unique}`.toLowerCase(),
      keyId: `k${unique}`,
      secretHash: randomBytes(32),
      expiresAt: maybe(n, day(n + 400)),
      lastUsedAt: maybe(n + 1, day(n)),
      ...times,
    },
    webhookEndpoint: { organizationId, url: `https://example.com/${unique}`, events: [], secret: unique, ...times },
    conversationTemplate: { organizationId, name: `${word(n)} ${unique}`, createdAt: times.createdAt },
    user: { organizationId, email: `a${n % 7}-${unique}@orderings.test`, role: 'ADMIN', createdAt: times.createdAt },
  } as Record<string, Record<string, unknown>>;
}

type Delegates = Record<
  string,
  { create(args: object): Promise<{ id: string }>; delete(args: object): Promise<unknown> }
>;
const delegates = () => server.db.prisma as unknown as Delegates;
let contractorId: string;
let next = ROWS;

async function insert(model: string) {
  return delegates()[model].create({ data: rowsFor(next++, org, contractorId)[model] });
}

async function remove(model: string, globalId: string) {
  const { id } = fromGlobalId(globalId);
  // A goal's owner cannot be deleted while it owns goals (the fixture's people own some).
  if (model === 'person') await server.db.prisma.goal.deleteMany({ where: { ownerId: id } });
  await delegates()[model].delete({ where: { id } });
}

beforeAll(async () => {
  // Hundreds of pages in one minute: beyond an admin's request budget, which is not under test here.
  server = await startTestServer({
    rateLimiter: createRateLimiter(
      { keyRequests: 1, adminRequests: 1_000_000, windowSeconds: 60 },
      pino({ level: 'silent' }),
    ),
  });
  org = await organizationWith(server.db.prisma, 'Orderings', { projects: 1, contractorsPerProject: 1 });
  contractorId = org.contractorIds[0];
  for (let n = 0; n < ROWS; n++) {
    const rows = rowsFor(n, org, contractorId);
    for (const model of Object.keys(rows)) await delegates()[model].create({ data: rows[model] });
  }
});
afterAll(() => server?.close());

interface Page {
  ids: string[];
  pageInfo: { startCursor: string; endCursor: string; hasNextPage: boolean; hasPreviousPage: boolean };
}

async function page(list: string, orderBy: object, args: Record<string, unknown>): Promise<Page> {
  const res = await server.graphql(
    org.adminToken,
    `query ($orderBy: ${LISTS[list].orderType.replace('Field', '')}, $first: Int, $after: String, $last: Int, $before: String) {
      ${list}(orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
        edges { node { id } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }`,
    { orderBy, ...args },
  );
  expect(res.body.errors).toBeUndefined();
  const connection = res.body.data[list];
  return { ids: connection.edges.map((e: { node: { id: string } }) => e.node.id), pageInfo: connection.pageInfo };
}

const all = async (list: string, orderBy: object) => (await page(list, orderBy, { first: 100 })).ids;

async function walkForward(list: string, orderBy: object, after: string | null, size: number) {
  const seen: string[] = [];
  for (let cursor = after, more = true; more;) {
    const p = await page(list, orderBy, { first: size, after: cursor });
    seen.push(...p.ids);
    ({ endCursor: cursor, hasNextPage: more } = p.pageInfo);
  }
  return seen;
}

async function walkBackward(list: string, orderBy: object, before: string | null, size: number) {
  const seen: string[] = [];
  for (let cursor = before, more = true; more;) {
    const p = await page(list, orderBy, { last: size, before: cursor });
    seen.unshift(...p.ids);
    ({ startCursor: cursor, hasPreviousPage: more } = p.pageInfo);
  }
  return seen;
}

async function sortFields(orderType: string): Promise<string[]> {
  const res = await server.graphql(org.adminToken, `{ __type(name: "${orderType}") { enumValues { name } } }`);
  return res.body.data.__type.enumValues.map((value: { name: string }) => value.name);
}

describe('every root list, every orderBy, both directions', () => {
  for (const [list, { model, orderType }] of Object.entries(LISTS)) {
    it(`${list}: pages walk the whole order, and deletes and inserts between pages skip or repeat nothing`, async () => {
      const fields = await sortFields(orderType);
      expect(fields.length).toBeGreaterThan(0);
      for (const field of fields) {
        for (const direction of ['ASC', 'DESC']) {
          const orderBy = { field, direction };
          const label = `${list} ${field} ${direction}`;
          const expected = await all(list, orderBy);
          expect(expected.length, label).toBeGreaterThan(10);
          expect({ label, ids: await walkForward(list, orderBy, null, 3) }).toEqual({ label, ids: expected });
          expect({ label, ids: await walkBackward(list, orderBy, null, 3) }).toEqual({ label, ids: expected });

          // Forwards: the row at the cursor and one further on are deleted, a row is inserted.
          const first = await page(list, orderBy, { first: 2 });
          await remove(model, expected[1]);
          await remove(model, expected[4]);
          const inserted = await insert(model);
          const rest = await walkForward(list, orderBy, first.pageInfo.endCursor, 3);
          const stayed = expected.slice(2).filter((id) => id !== expected[4]);
          expect({ label, ids: rest.filter((id) => fromGlobalId(id).id !== inserted.id) }).toEqual({
            label,
            ids: stayed,
          });
          expect(rest.filter((id) => fromGlobalId(id).id === inserted.id).length, label).toBeLessThanOrEqual(1);

          // Backwards, the same from the end.
          const now = await all(list, orderBy);
          const last = await page(list, orderBy, { last: 2 });
          const n = now.length;
          await remove(model, now[n - 2]);
          await remove(model, now[n - 5]);
          const before = await walkBackward(list, orderBy, last.pageInfo.startCursor, 3);
          expect({ label, ids: before }).toEqual({ label, ids: now.slice(0, n - 2).filter((id) => id !== now[n - 5]) });
        }
      }
    });
  }
});
