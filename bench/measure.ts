// Measuring tools shared by run.ts, profile.ts and auth-cost.ts.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) a process has used so far; `missing` when it is gone. */
export function cpuSeconds(pid: number, missing = 0): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return missing;
  }
}

export interface WrkResult {
  requests: number;
  duration_us: number;
  bytes: number;
  p50_us: number;
  p90_us: number;
  p99_us: number;
  max_us: number;
  mean_us: number;
  non200: number;
  gql_errors: number;
  socket_errors: number;
  timeouts: number;
  rps: number;
}

/**
 * One wrk run with wrk.lua POSTing the request in `files`; its BENCH_JSON summary plus req/s.
 * `delayMs`: every connection pauses that long after each answer (paced load below the peak).
 */
export async function runWrk(
  url: string,
  files: { body: string; headers: string },
  options: { threads: number; connections: number; seconds: number; uuid?: boolean; delayMs?: number },
): Promise<WrkResult> {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '30s',
    '-s',
    path.join(BENCH_DIR, 'wrk.lua'),
    url,
    '--',
    files.body,
    files.headers,
    options.uuid ? 'uuid' : '-',
  ];
  const child = spawn('wrk', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BENCH_DELAY_MS: options.delayMs ? options.delayMs.toFixed(3) : '' },
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('exit', resolve);
    // Without wrk installed, 'exit' never comes.
    child.on('error', (error) => reject(new Error(`wrk could not start (apt-get install -y wrk): ${error.message}`)));
  });
  const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}):\n${out}`);
  const r = JSON.parse(line.slice('BENCH_JSON '.length)) as WrkResult;
  r.rps = r.requests / (r.duration_us / 1e6);
  return r;
}
