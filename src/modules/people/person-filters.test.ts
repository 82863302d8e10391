import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionIds, filterScenario } from '../../../test/support/filters.ts';
import { globalId, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/* The filters of people(…). The fixture: test/support/filters.ts. */

let server: TestServer;
let org: OrganizationScenario;

beforeAll(async () => {
  ({ server, org } = await filterScenario());
});
afterAll(() => server?.close());

const gid = globalId;
const ids = (query: string, variables: Record<string, unknown> = {}) =>
  connectionIds(server, org.adminToken, query, variables);

describe('root connection filters (each with a match and a miss)', () => {
  it('people(search:, department:)', async () => {
    expect(await ids('{ people(department: "Safety") { edges { node { id } } } }')).toEqual([
      gid('Person', org.personIds[0]),
    ]);
    expect(await ids('{ people(department: "safety") { edges { node { id } } } }')).toEqual([]);
    expect(await ids('{ people(search: "owner", department: "Safety") { edges { node { id } } } }')).toEqual([
      gid('Person', org.personIds[0]),
    ]);
  });
});
