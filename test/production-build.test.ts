import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from './support/process.ts';

// `npm start` runs the esbuild bundle (scripts/build.ts), not the TypeScript sources the other
// tests import: this runs one, on a fresh embedded database, through the paths that a bundle can
// break (lazy imports, files found relative to the bundle, CommonJS inside ESM, one graphql copy).
const outDir = path.join(projectRoot, 'dist', `test-${process.pid}`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'crewgraph-build-'));
let url = '';
let adminToken = '';
let stop: () => Promise<number | null> = async () => null;

async function graphql(token: string, query: string, variables?: object) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', path.join(outDir, 'main.mjs')], {
    cwd: projectRoot,
  });
  const child = spawn(process.execPath, [path.join(outDir, 'main.mjs')], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', SEED_DEMO: '' },
  });
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  stop = () => {
    child.kill('SIGTERM');
    return exited;
  };
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const token = /Bearer (cga_\w+)/.exec(stdout);
      const listening = /GraphiQL at (http:\/\/\S+)/.exec(stdout);
      if (token && listening) {
        url = listening[1];
        adminToken = token[1];
        resolve();
      }
    });
    exited.then((code) => reject(new Error(`bundle exited with ${code}:\n${stdout}\n${stderr}`)));
  });
}, 300_000);

afterAll(async () => {
  await stop();
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the production bundle (npm start)', { timeout: 300_000 }, () => {
  it('serves GraphiQL, loaded on the first page view', async () => {
    const res = await fetch(url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Crewgraph GraphiQL');
  });

  it('reads nested connections with the demo admin token', async () => {
    const { body } = await graphql(
      adminToken,
      '{ viewer { kind } projects(first: 2) { totalCount edges { node { id contractors(first: 2) { edges { node { name workers(first: 1) { totalCount } } } } } } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer.kind).toBe('ADMIN');
    expect(body.data.projects.edges).toHaveLength(2);
  });

  it('creates a read-only key that reads its project, is refused a write, and exchanges for a token', async () => {
    const projects = await graphql(adminToken, '{ projects(first: 2) { edges { node { id } } } }');
    const [own, other] = projects.body.data.projects.edges.map((e: any) => e.node.id);
    const created = await graphql(
      adminToken,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token apiKey { keyId } userErrors { code } } }',
      { input: { name: 'Bundle check', projectIds: [own] } },
    );
    const { token: key, apiKey } = created.body.data.createApiKey;
    expect(key).toMatch(/^cgk_/);

    const read = await graphql(key, '{ projects { edges { node { id } } } }');
    expect(read.body.data.projects.edges.map((e: any) => e.node.id)).toEqual([own]);
    const write = await graphql(
      key,
      'mutation($input: CreateContractorInput!) { createContractor(input: $input) { userErrors { code } } }',
      { input: { name: 'Nope', projectIds: [own] } },
    );
    expect(write.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const foreign = await graphql(key, 'query($id: ID!) { node(id: $id) { id } }', { id: other });
    expect(foreign.body.data.node).toBeNull();

    const exchanged = await fetch(url.replace('/graphql', '/oauth/token'), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${apiKey.keyId}:${key}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(exchanged.status).toBe(200);
    const { access_token } = (await exchanged.json()) as { access_token: string };
    expect((await graphql(access_token, '{ viewer { tokenKind } }')).body.data.viewer.tokenKind).toBeTruthy();
  });

  it('applies the query limits with coded errors', async () => {
    const deep = await graphql(
      adminToken,
      `{ people { edges { node { ${'manager { '.repeat(16)} id ${'} '.repeat(16)} } } } }`,
    );
    expect(deep.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(deep.body.errors[0].message).toMatch(/depth/i);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await stop()).toBe(0);
  });
});
