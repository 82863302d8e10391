import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE, CYCLE, DELETE, REACTIVATE, REVOKE, UPDATE, VIEWER } from '../support/api-key-operations.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startServerProcess, type RunningServer } from '../support/process.ts';
import { globalId, organizationWith, type OrganizationScenario } from '../support/scenarios.ts';
import { ContractorsPageDocument } from '../client/generated/graphql.ts';
import { decodeGlobalId, gql, skipReason, sleep, Tally, type Reply } from './support.ts';

/**
 * 200 concurrent clients for a bounded time against one server process on PostgreSQL:
 * readers, writers (goals through writing keys and the admin, contractors through the
 * admin), admins cycling/revoking/reactivating/updating/deleting/creating keys, and
 * clients using exactly those keys (current and stale tokens) while that happens.
 */
const LOAD_MS = Number(process.env.STRESS_LOAD_MS ?? 15_000);
const CLIENTS = { readers: 60, keyWriters: 40, adminWriters: 20, lifecycle: 10, churnUsers: 70 };
const CHURN_KEYS = 16;
const MAX_CHURN_KEYS = 40;

const GOALS_PAGE = `query GoalsPage($first: Int) { goals(first: $first) { edges { node { id title status } } } }`;
const CREATE_GOAL = `mutation CreateGoal($input: CreateGoalInput!) {
  createGoal(input: $input) { goal { id title } userErrors { field code message } } }`;
const CREATE_CONTRACTOR = `mutation CreateContractor($input: CreateContractorInput!) {
  createContractor(input: $input) { contractor { id name } userErrors { field code message } } }`;

type Action = 'CREATED' | 'UPDATED' | 'CYCLED' | 'REVOKED' | 'REACTIVATED' | 'DELETED';

interface TokenRec {
  token: string;
  /** When the request that retires this token (cycle without grace, next cycle, delete) was sent / answered. */
  retireSentAt?: number;
  retireRecvAt?: number;
}
interface InactiveWindow {
  revokeSent: number;
  revokeRecv: number;
  reactSent: number;
  reactRecv: number;
}
interface ChurnKey {
  id: string;
  uuid: string;
  projectIds: string[];
  current: TokenRec;
  tokens: TokenRec[];
  active: boolean;
  deleted: boolean;
  busy: boolean;
  inactive: InactiveWindow[];
}
interface KeyRequest {
  op: string;
  reply: Reply;
  key?: ChurnKey;
  token?: TokenRec;
  /** A principal nobody cycles or revokes: any 401 is unexplained. */
  stable: boolean;
}
interface WriteAttempt {
  kind: 'goal' | 'contractor';
  label: string;
  via: string;
  reply: Reply;
  reportedId?: string;
}

describe.skipIf(skipReason)(`200 concurrent clients on one server (${skipReason ?? 'PostgreSQL'})`, () => {
  let db: TestDatabase;
  let server: RunningServer;
  let org: OrganizationScenario;
  const projects: string[] = [];
  const people: string[] = [];
  let readKey: string;
  const writerKeys: string[] = [];
  const churn: ChurnKey[] = [];

  const requests: KeyRequest[] = [];
  const writes: WriteAttempt[] = [];
  const lifecycleOk = new Map<string, number>(); // `${apiKeyUuid} ${action}` -> successful calls
  const lifecycleFailures: { action: string; reply: Reply }[] = [];
  const tally = new Tally();
  let seq = 0;

  const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
  const recordOk = (uuid: string, action: Action) =>
    lifecycleOk.set(`${uuid} ${action}`, (lifecycleOk.get(`${uuid} ${action}`) ?? 0) + 1);
  const call = async (token: string | null, query: Parameters<typeof gql>[2], variables?: object) => {
    // generous: on a loaded 2-CPU machine p99 reached 17 s; a timeout here means a hang
    const reply = await gql(server.url, token, query, variables, { timeoutMs: 60_000 });
    tally.add(reply);
    return reply;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    org = await organizationWith(db.prisma, 'Stress', {
      projects: 3,
      contractorsPerProject: 10,
      workersPerContractor: 2,
    });
    projects.push(...org.projectIds.map((id) => globalId('Project', id)));
    people.push(...org.personIds.map((id) => globalId('Person', id)));
    server = await startServerProcess({
      DATABASE_URL: db.url,
      PORT: '0',
      SEED_DEMO: '0',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_KEY_REQUESTS: '1000000',
      RATE_LIMIT_ADMIN_REQUESTS: '1000000',
      // The clients of many machines share one loopback address here, and revoked keys fail on purpose.
      RATE_LIMIT_UNAUTHENTICATED_REQUESTS: '1000000',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  /** createApiKey through the API (so its CREATED event is part of the ledger). */
  async function createKey(name: string, projectIds: string[], allowWrites: boolean) {
    const reply = await call(org.adminToken, CREATE, { input: { name, projectIds, allowWrites } });
    const payload = reply.body?.data?.createApiKey;
    if (reply.status !== 200 || reply.body.errors || payload?.userErrors?.length || !payload?.token) {
      lifecycleFailures.push({ action: 'CREATED', reply });
      return null;
    }
    const uuid = decodeGlobalId(payload.apiKey.id);
    recordOk(uuid, 'CREATED');
    return { id: payload.apiKey.id as string, uuid, token: payload.token as string };
  }

  async function newChurnKey() {
    const projectIds = [projects[0], projects[1]];
    const created = await createKey(`churn ${++seq}`, projectIds, true);
    if (!created) return;
    const token: TokenRec = { token: created.token };
    churn.push({
      id: created.id,
      uuid: created.uuid,
      projectIds,
      current: token,
      tokens: [token],
      active: true,
      deleted: false,
      busy: false,
      inactive: [],
    });
  }

  /** One lifecycle call; `ok` tells whether the payload reported success. */
  async function lifecycle(action: Action, document: Parameters<typeof gql>[2], input: object, field: string) {
    const reply = await call(org.adminToken, document, { input });
    const payload = reply.body?.data?.[field];
    const ok = reply.status === 200 && !reply.body.errors && payload && payload.userErrors.length === 0;
    if (!ok) lifecycleFailures.push({ action, reply });
    return { reply, payload, ok };
  }

  // The admins' actions, dealt round-robin so every kind happens in every run.
  const ACTIONS = [
    'cycle',
    'toggle',
    'cycle-grace',
    'update',
    'cycle',
    'toggle',
    'delete',
    'cycle',
    'toggle',
    'create',
  ];
  let dealt = 0;

  async function act(key: ChurnKey) {
    const next = ACTIONS[dealt++ % ACTIONS.length];
    if (next === 'cycle' || next === 'cycle-grace') {
      // cycle: without grace the old token dies at once; with grace it lives on, the one before dies
      const grace = next === 'cycle' ? 0 : 3600;
      const sentAt = performance.now();
      const retiring = key.tokens.filter((t) => t.retireSentAt === undefined && (grace === 0 || t !== key.current));
      for (const t of retiring) t.retireSentAt = sentAt;
      const { reply, payload, ok } = await lifecycle(
        'CYCLED',
        CYCLE,
        { id: key.id, gracePeriodSeconds: grace },
        'cycleApiKey',
      );
      if (!ok) return;
      for (const t of retiring) t.retireRecvAt = reply.recvAt;
      recordOk(key.uuid, 'CYCLED');
      const token: TokenRec = { token: payload.token };
      key.tokens.push(token);
      key.current = token;
    } else if (next === 'toggle') {
      const action = key.active ? 'REVOKED' : 'REACTIVATED';
      const sentAt = performance.now();
      if (key.active)
        key.inactive.push({ revokeSent: sentAt, revokeRecv: Infinity, reactSent: Infinity, reactRecv: Infinity });
      else key.inactive[key.inactive.length - 1].reactSent = sentAt;
      const { reply, ok } = key.active
        ? await lifecycle(action, REVOKE, { id: key.id }, 'revokeApiKey')
        : await lifecycle(action, REACTIVATE, { id: key.id }, 'reactivateApiKey');
      if (!ok) return;
      const window = key.inactive[key.inactive.length - 1];
      if (key.active) window.revokeRecv = reply.recvAt;
      else window.reactRecv = reply.recvAt;
      key.active = !key.active;
      recordOk(key.uuid, action);
    } else if (next === 'update') {
      const { ok } = await lifecycle('UPDATED', UPDATE, { id: key.id, name: `churn ${++seq} renamed` }, 'updateApiKey');
      if (ok) recordOk(key.uuid, 'UPDATED');
    } else if (next === 'delete') {
      const sentAt = performance.now();
      const retiring = key.tokens.filter((t) => t.retireSentAt === undefined);
      for (const t of retiring) t.retireSentAt = sentAt;
      key.deleted = true; // clients stop choosing it as a live key (they may still send its tokens)
      const { reply, ok } = await lifecycle('DELETED', DELETE, { id: key.id }, 'deleteApiKey');
      if (!ok) return;
      for (const t of retiring) t.retireRecvAt = reply.recvAt;
      recordOk(key.uuid, 'DELETED');
      await newChurnKey();
    } else if (churn.length < MAX_CHURN_KEYS) {
      await newChurnKey();
    }
  }

  async function createGoal(token: string, via: string, projectId: string, extra: Partial<KeyRequest>) {
    const label = `stress goal ${++seq}`;
    const input = { projectId, ownerId: pick(people), title: label, milestones: [{ title: 'first' }] };
    const reply = await call(token, CREATE_GOAL, { input });
    const payload = reply.body?.data?.createGoal;
    const reportedId =
      reply.status === 200 && !reply.body.errors && !payload?.userErrors?.length ? payload?.goal?.id : undefined;
    writes.push({ kind: 'goal', label, via, reply, reportedId });
    requests.push({ op: 'createGoal', reply, stable: false, ...extra });
  }

  async function createContractor() {
    const label = `stress contractor ${++seq}`;
    const reply = await call(org.adminToken, CREATE_CONTRACTOR, {
      input: { name: label, city: 'Boise', projectIds: [pick(projects)], tags: ['stress'] },
    });
    const payload = reply.body?.data?.createContractor;
    const reportedId =
      reply.status === 200 && !reply.body.errors && !payload?.userErrors?.length ? payload?.contractor?.id : undefined;
    writes.push({ kind: 'contractor', label, via: 'admin', reply, reportedId });
    requests.push({ op: 'createContractor', reply, stable: true });
  }

  async function read(token: string, extra: Partial<KeyRequest>) {
    const r = Math.random();
    const [op, reply] =
      r < 0.45
        ? ['contractors', await call(token, ContractorsPageDocument, { first: 10 + Math.floor(Math.random() * 20) })]
        : r < 0.8
          ? ['goals', await call(token, GOALS_PAGE, { first: 20 })]
          : ['viewer', await call(token, VIEWER)];
    requests.push({ op, reply, stable: false, ...extra });
  }

  it('serves every request without a 5xx, loses or duplicates no write, and audits every lifecycle call', async () => {
    // Keys, made through the API so that their CREATED events are in the ledger too.
    readKey = (await createKey('stable reader', projects, false))!.token;
    for (let i = 0; i < 4; i++) writerKeys.push((await createKey(`stable writer ${i}`, projects, true))!.token);
    for (let i = 0; i < CHURN_KEYS; i++) await newChurnKey();
    expect(lifecycleFailures).toEqual([]);

    const started = performance.now();
    const deadline = started + LOAD_MS;
    const loop = (body: () => Promise<void>) => async () => {
      while (performance.now() < deadline) await body();
    };
    const liveChurn = () => churn.filter((k) => !k.deleted);
    const clients: (() => Promise<void>)[] = [
      ...Array.from({ length: CLIENTS.readers }, (_, i) =>
        loop(() => (i % 4 === 0 ? read(org.adminToken, { stable: true }) : read(readKey, { stable: true }))),
      ),
      ...Array.from({ length: CLIENTS.keyWriters }, (_, i) =>
        loop(() =>
          Math.random() < 0.8
            ? createGoal(writerKeys[i % writerKeys.length], 'stable key', pick(projects), { stable: true })
            : read(writerKeys[i % writerKeys.length], { stable: true }),
        ),
      ),
      ...Array.from({ length: CLIENTS.adminWriters }, () =>
        loop(() =>
          Math.random() < 0.7
            ? createContractor()
            : createGoal(org.adminToken, 'admin', pick(projects), { stable: true }),
        ),
      ),
      ...Array.from({ length: CLIENTS.lifecycle }, () =>
        loop(async () => {
          const free = liveChurn().filter((k) => !k.busy);
          if (!free.length) return void (await sleep(5));
          const key = pick(free);
          key.busy = true;
          try {
            await act(key);
          } finally {
            key.busy = false;
          }
          await sleep(Math.random() * 50);
        }),
      ),
      ...Array.from({ length: CLIENTS.churnUsers }, () =>
        loop(async () => {
          // mostly a live key's current token; sometimes a stale one, or a deleted key's
          const live = liveChurn();
          const key = Math.random() < 0.05 || !live.length ? pick(churn) : pick(live);
          const stale = key.tokens.filter((t) => t !== key.current);
          const token = Math.random() < 0.1 && stale.length ? pick(stale) : key.current;
          if (Math.random() < 0.3) await createGoal(token.token, 'churn key', pick(key.projectIds), { key, token });
          else await read(token.token, { key, token });
        }),
      ),
    ];
    expect(clients).toHaveLength(200);
    await Promise.all(clients.map((client) => client()));
    const elapsed = performance.now() - started;

    // ---- every response accounted for ----
    const problems: string[] = [];
    const show = (q: KeyRequest) =>
      `${q.op} -> ${q.reply.status} ${q.reply.code ?? ''} ${q.reply.failureMessage ?? ''} ${JSON.stringify(q.reply.body)?.slice(0, 300)}`;
    let explained401 = 0;
    for (const q of requests) {
      const { reply, key, token } = q;
      if (reply.status === 200 && !reply.body?.errors) {
        // security: a token retired (or a key revoked) before the request was sent must not work
        if (token?.retireRecvAt !== undefined && token.retireRecvAt < reply.sentAt)
          problems.push(`retired token accepted: ${show(q)}`);
        if (key?.inactive.some((w) => w.revokeRecv < reply.sentAt && reply.recvAt < w.reactSent))
          problems.push(`revoked key accepted: ${show(q)}`);
        continue;
      }
      if (reply.status === 401 && !q.stable && key && token) {
        const retired = token.retireSentAt !== undefined && token.retireSentAt <= reply.recvAt;
        const inactive = key.inactive.some((w) => w.revokeSent <= reply.recvAt && reply.sentAt <= w.reactRecv);
        if ((reply.code === 'UNAUTHENTICATED' && retired) || (reply.code === 'API_KEY_INACTIVE' && inactive)) {
          explained401++;
          continue;
        }
        problems.push(`unexplained 401 (retired=${retired} inactive=${inactive}): ${show(q)}`);
        continue;
      }
      problems.push(`unexpected: ${show(q)}`);
    }
    const fivexx = requests.filter((q) => q.reply.status >= 500).length;
    const noResponse = requests.filter((q) => q.reply.status === 0).length;

    // ---- writes: what clients were told vs. what the database holds ----
    const reported = writes.filter((w) => w.reportedId);
    const reportedUuids = reported.map((w) => decodeGlobalId(w.reportedId!));
    const goals = await db.prisma.goal.findMany({
      where: { organizationId: org.organizationId, title: { startsWith: 'stress goal ' } },
      select: { id: true, title: true, _count: { select: { milestones: true } } },
    });
    const contractors = await db.prisma.contractor.findMany({
      where: { organizationId: org.organizationId, name: { startsWith: 'stress contractor ' } },
      select: { id: true, name: true },
    });
    const rows = new Map<string, string>([
      ...goals.map((g) => [g.id, g.title] as [string, string]),
      ...contractors.map((c) => [c.id, c.name] as [string, string]),
    ]);
    const labels = [...goals.map((g) => g.title), ...contractors.map((c) => c.name)];
    const writeProblems: string[] = [];
    if (new Set(reportedUuids).size !== reportedUuids.length) writeProblems.push('an id was reported twice');
    if (new Set(labels).size !== labels.length) writeProblems.push('a write was stored twice');
    for (const w of reported) {
      const uuid = decodeGlobalId(w.reportedId!);
      if (rows.get(uuid) !== w.label) writeProblems.push(`lost: ${w.kind} ${w.label} (${uuid}) -> ${rows.get(uuid)}`);
    }
    const reportedSet = new Set(reportedUuids);
    for (const [id, label] of rows) if (!reportedSet.has(id)) writeProblems.push(`extra row: ${id} ${label}`);
    if (goals.some((g) => g._count.milestones !== 1)) writeProblems.push('a goal without its milestone');

    // ---- audit: events per key and action vs. lifecycle calls that reported success ----
    const events = await db.prisma.apiKeyEvent.groupBy({
      by: ['apiKeyId', 'action'],
      where: { organizationId: org.organizationId },
      _count: { _all: true },
    });
    const audited = Object.fromEntries(events.map((e) => [`${e.apiKeyId} ${e.action}`, e._count._all]));
    const expected = Object.fromEntries(lifecycleOk);

    // ---- the end state of every churn key is what the clients believe ----
    const endState: string[] = [];
    for (const key of churn) {
      const res = await call(key.current.token, VIEWER);
      const want = key.deleted ? 'UNAUTHENTICATED' : key.active ? '200' : 'API_KEY_INACTIVE';
      const got = res.status === 200 ? '200' : res.code;
      if (got !== want) endState.push(`${key.uuid}: want ${want}, got ${res.status} ${got}`);
    }

    const byAction: Record<string, number> = {};
    for (const [k, n] of lifecycleOk) byAction[k.split(' ')[1]] = (byAction[k.split(' ')[1]] ?? 0) + n;
    const latencies = requests.map((q) => q.reply.recvAt - q.reply.sentAt).sort((a, b) => a - b);
    const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]);
    console.log(
      JSON.stringify(
        {
          clients: 200,
          seconds: Math.round(elapsed / 100) / 10,
          requests: tally.total,
          perSecond: Math.round(tally.total / (elapsed / 1000)),
          latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: pct(1) },
          statuses: tally.counts,
          explained401,
          writesReported: {
            goals: reported.filter((w) => w.kind === 'goal').length,
            contractors: reported.filter((w) => w.kind === 'contractor').length,
          },
          writesRefused: writes.length - reported.length,
          lifecycleCalls: byAction,
          keys: { churn: churn.length, deleted: churn.filter((k) => k.deleted).length },
        },
        null,
        1,
      ),
    );
    if (fivexx || /"level":50/.test(server.stdout())) console.log(server.stdout().slice(-5000));

    expect(server.child.exitCode).toBeNull();
    expect(fivexx).toBe(0);
    expect(noResponse).toBe(0);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(lifecycleFailures.map((f) => `${f.action}: ${f.reply.status} ${JSON.stringify(f.reply.body)}`)).toEqual([]);
    expect(writeProblems.slice(0, 20)).toEqual([]);
    expect(audited).toEqual(expected);
    expect(endState).toEqual([]);
    expect(reported.length).toBeGreaterThan(50);
  });
});
