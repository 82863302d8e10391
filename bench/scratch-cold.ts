import { spawn } from 'node:child_process';
import pg from 'pg';
import { issueToken } from '../src/auth/tokens.ts';
import { bid } from './seed.ts';
const url = 'postgresql://postgres@127.0.0.1:5432/crewgraph_bench';
const admin = issueToken('cga');
const c = new pg.Client({ connectionString: url }); await c.connect();
await c.query(`INSERT INTO "AdminToken" (id, "organizationId", "userId", "tokenId", "secretHash") VALUES (gen_random_uuid(), $1, $2, $3, $4)`, [bid(1, 0), bid(2, 0), admin.id, Buffer.from(admin.secretHash)]);
await c.end();
const variants: Record<string, string[]> = {
  tsx: ['--import', 'tsx', 'src/main.ts'],
  bundle: ['dist/bin/main.mjs'],
  bundleMaps: ['--enable-source-maps', 'dist/bin/main.mjs'],
  a: ['dist/bin/a.mjs'],
  b: ['dist/bin/b.mjs'],
};
const sel = (process.argv[2] ?? 'tsx,bundle,bundleMaps').split(',');
const results: Record<string, number[]> = {};
for (let round = 0; round < Number(process.argv[3] ?? 3); round++) {
  for (const v of sel) {
    const port = 39300 + round;
    const t0 = performance.now();
    const child = spawn(process.execPath, variants[v], { env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: '0', NODE_ENV: 'production', LOG_LEVEL: 'warn' }, stdio: 'ignore' });
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` }, body: '{"query":"{ __typename }"}' });
        if (r.status === 200) break;
      } catch {}
      await new Promise((r) => setTimeout(r, 10));
    }
    (results[v] ??= []).push(Math.round(performance.now() - t0));
    const exited = new Promise((r) => child.once('exit', r)); child.kill('SIGTERM'); await exited;
  }
}
console.log(results);
