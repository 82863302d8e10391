import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { print, type DocumentNode } from 'graphql';
import pg from 'pg';

const run = promisify(execFile);

/** Why a PostgreSQL-only stress test is skipped, or null when it can run. */
export const skipReason = process.env.DATABASE_URL
  ? null
  : 'DATABASE_URL is not set: the stress tests run on PostgreSQL only (PGlite is single-process)';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const decodeGlobalId = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1];

export interface Reply {
  /** HTTP status, or 0 when no response came (network error or timeout). */
  status: number;
  headers: Headers | null;
  body: any;
  /** The first error's code, if any. */
  code?: string;
  /** `network` (reset, refused) or `timeout` when no response came. */
  failure?: 'network' | 'timeout';
  failureMessage?: string;
  /** performance.now() when sent and when the whole body had arrived. */
  sentAt: number;
  recvAt: number;
}

/** POSTs one GraphQL operation; never throws: network failures and timeouts are in the reply. */
export async function gql(
  url: string,
  token: string | null,
  query: string | DocumentNode,
  variables?: object,
  { timeoutMs = 30_000, requestId }: { timeoutMs?: number; requestId?: string } = {},
): Promise<Reply> {
  const sentAt = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = { unparsable: text.slice(0, 500) };
    }
    return {
      status: res.status,
      headers: res.headers,
      body,
      code: body?.errors?.[0]?.extensions?.code,
      sentAt,
      recvAt: performance.now(),
    };
  } catch (error) {
    const err = error as Error;
    const timeout = err.name === 'TimeoutError' || err.name === 'AbortError';
    return {
      status: 0,
      headers: null,
      body: null,
      failure: timeout ? 'timeout' : 'network',
      failureMessage: `${err.name}: ${err.message}${(err as any).cause ? ` (${(err as any).cause.code ?? (err as any).cause.message})` : ''}`,
      sentAt,
      recvAt: performance.now(),
    };
  }
}

/** A status histogram, e.g. { '200': 4120, '401 UNAUTHENTICATED': 37 }. */
export class Tally {
  readonly counts: Record<string, number> = {};
  add(reply: Reply) {
    const key =
      reply.status === 0
        ? `no response (${reply.failure})`
        : reply.status === 200
          ? '200'
          : `${reply.status} ${reply.code ?? ''}`.trim();
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }
  get total() {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with the socket error code of a plain TCP connect (`ECONNREFUSED`), or 'connected'. */
export function tcpConnect(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A private, throwaway PostgreSQL cluster (initdb in a temp dir, its own port and socket
 * dir), so a test may restart or stop it without touching the shared server others use.
 */
export interface PrivateCluster {
  url: string;
  port: number;
  dir: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it (immediately) and removes its directory; safe to call twice. */
  destroy(): Promise<void>;
  log(): Promise<string>;
}

async function asPostgres(args: string[]) {
  return run('runuser', ['-u', 'postgres', '--', ...args], { timeout: 60_000 });
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crewgraph-stress-pg-'));
  const pgId = await run('id', ['-u', 'postgres']);
  const pgGid = await run('id', ['-g', 'postgres']);
  chownSync(dir, Number(pgId.stdout.trim()), Number(pgGid.stdout.trim()));
  const port = await freePort();
  const ctl = (...args: string[]) => asPostgres([`${PG_BIN}/pg_ctl`, '-D', dir, ...args]);
  let destroyed = false;
  // if the test process ends without its afterAll (killed worker, crash), still remove the cluster
  const onExit = () => {
    try {
      execFileSync(
        'runuser',
        ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', dir, 'stop', '-m', 'immediate', '-w'],
        {
          stdio: 'ignore',
          timeout: 20_000,
        },
      );
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const cluster: PrivateCluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    restart: async () =>
      void (await ctl('restart', '-m', 'fast', '-w', '-o', `-p ${port} -k ${dir}`, '-l', `${dir}/log`)),
    stop: async () => void (await ctl('stop', '-m', 'fast', '-w')),
    start: async () => void (await ctl('start', '-w', '-o', `-p ${port} -k ${dir}`, '-l', `${dir}/log`)),
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      process.removeListener('exit', onExit);
      await ctl('stop', '-m', 'immediate', '-w').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
    log: async () => (await run('cat', [`${dir}/log`]).catch(() => ({ stdout: '' }))).stdout,
  };
  try {
    await asPostgres([`${PG_BIN}/initdb`, '-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await cluster.start();
    return cluster;
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
}

/** Runs one SQL statement on a PostgreSQL URL with a short-lived connection. */
export async function sql(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}
