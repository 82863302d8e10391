import { createHmac, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { addressRefusal, checkWebhookUrl } from '../../modules/webhooks/webhook-url.ts';

export const SIGNATURE_HEADER = 'Crewgraph-Signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (contract section 9), with one `v1`
 * per secret: the current one first, then the previous one during a roll's grace period.
 */
export function signatureHeader(secrets: string | readonly string[], body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = [secrets]
    .flat()
    .map((secret) => `v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
  return [`t=${t}`, ...v1].join(',');
}

/** What a receiver does (docs/webhooks.md): any `v1` may match, constant-time compare, and a replay window. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  { toleranceSeconds = 300, now = new Date() } = {},
): boolean {
  const parts = (header ?? '').split(',').map((kv) => kv.split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => Buffer.from(v!, 'hex'));
  if (!Number.isInteger(t) || !signatures.length) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return signatures.some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

export interface DeliveryRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** WEBHOOKS_ALLOW_HTTP: http URLs and loopback/private receivers allowed. */
  allowHttp: boolean;
  /** Resolves a host name to every address it has (tests inject one); node:dns lookup by default. */
  resolve?: Resolver;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const dnsResolve: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * The reasons a tenant sees in `lastError`: a fixed vocabulary that never names a host, an
 * address or a library's message (those go to the server log with the delivery id).
 */
export const FAILURE_REASONS = {
  refused: 'destination not allowed',
  dns: 'DNS lookup failed',
  connectionRefused: 'connection refused',
  connectionReset: 'connection reset',
  unreachable: 'network unreachable',
  timeout: 'timed out',
  tls: 'TLS error',
  connection: 'connection failed',
} as const;
const httpStatusReason = (status: number) => `HTTP ${status}`;

export interface DeliveryResult {
  /** HTTP status, when the receiver answered. */
  responseCode: number | null;
  /** Why the attempt failed, in the tenant's words (FAILURE_REASONS or "HTTP <status>"); null on success. */
  error: string | null;
  /** The same for the server log: host, addresses, the system's message. */
  detail: string | null;
  ok: boolean;
  durationMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

class Refused extends Error {}

/** The tenant's reason for a failed request or connection (Node's error codes). */
function reasonOf(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return FAILURE_REASONS.connectionRefused;
  if (code === 'ECONNRESET' || code === 'EPIPE') return FAILURE_REASONS.connectionReset;
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'EADDRNOTAVAIL') return FAILURE_REASONS.unreachable;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return FAILURE_REASONS.dns;
  if (code === 'EPROTO' || /TLS|SSL|CERT|_SIGNED_|UNABLE_TO_|ERR_OSSL/.test(code)) return FAILURE_REASONS.tls;
  return FAILURE_REASONS.connection;
}

/**
 * Resolves the URL's host, refuses it if any address it resolves to is forbidden, and
 * returns the one address to connect to: the request is pinned to it (no second DNS
 * lookup that could answer differently, i.e. no DNS rebinding).
 */
async function resolvePinned(
  host: string,
  allowHttp: boolean,
  resolve: Resolver,
): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(bare)
    ? [{ address: bare, family: ipaddr.parse(bare).kind() === 'ipv6' ? 6 : 4 }]
    : await resolve(bare);
  if (!addresses.length) throw new Error(`${host} did not resolve`);
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, allowHttp);
    if (refusal) throw new Refused(`refused: ${host} resolves to a forbidden address (${refusal})`);
  }
  return { address: addresses[0].address, family: addresses[0].family as 4 | 6 };
}

/** One POST: no redirects followed, anything but 2xx is a failure, slow receivers time out. */
export async function postWebhook(request: DeliveryRequest): Promise<DeliveryResult> {
  const started = performance.now();
  const done = (responseCode: number | null, error: string | null, detail = error): DeliveryResult => ({
    responseCode,
    error,
    detail,
    ok: error === null,
    durationMs: Math.round(performance.now() - started),
  });
  const checked = checkWebhookUrl(request.url, request.allowHttp);
  if (!checked.url) return done(null, FAILURE_REASONS.refused, `refused: ${checked.problem}`);
  const url = checked.url;
  let pinned: { address: string; family: 4 | 6 };
  try {
    pinned = await resolvePinned(url.hostname, request.allowHttp, request.resolve ?? dnsResolve);
  } catch (error) {
    const reason = error instanceof Refused ? FAILURE_REASONS.refused : FAILURE_REASONS.dns;
    return done(null, reason, (error as Error).message);
  }
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Promise<DeliveryResult>((resolve) => {
    let settled = false;
    const finish = (responseCode: number | null, error: string | null, detail = error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(responseCode, error, detail));
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        lookup: pinnedLookup,
        agent: false,
        headers: {
          ...request.headers,
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(request.body)),
          'User-Agent': 'Crewgraph-Webhooks/1.0',
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy(); // we only need the status
        });
        const settle = () =>
          status >= 200 && status < 300
            ? finish(status, null)
            : finish(status, httpStatusReason(status), `${url.host} answered HTTP ${status}`);
        res.on('end', settle);
        res.on('close', settle);
        res.on('error', settle);
      },
    );
    const timer = setTimeout(() => {
      finish(null, FAILURE_REASONS.timeout, `${url.host} (${pinned.address}) timed out after ${request.timeoutMs} ms`);
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish(null, reasonOf(error), `${url.host} (${pinned.address}): ${error.message || String(error)}`),
    );
    req.end(request.body);
  });
}
