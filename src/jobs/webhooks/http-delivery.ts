import { createHmac, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { addressRefusal, checkWebhookUrl } from '../../modules/webhooks/webhook-url.ts';

export const SIGNATURE_HEADER = 'Crewgraph-Signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (contract section 9). */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** What a receiver does (docs/webhooks.md): constant-time compare, and a replay window. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  { toleranceSeconds = 300, now = new Date() } = {},
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface DeliveryRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** WEBHOOKS_ALLOW_HTTP: http URLs and loopback/private receivers allowed. */
  allowHttp: boolean;
}

export interface DeliveryResult {
  /** HTTP status, when the receiver answered. */
  responseCode: number | null;
  /** Why the attempt failed (also set for a non-2xx status); null on success. */
  error: string | null;
  ok: boolean;
  durationMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Resolves the URL's host, refuses it if any address it resolves to is forbidden, and
 * returns the one address to connect to: the request is pinned to it (no second DNS
 * lookup that could answer differently, i.e. no DNS rebinding).
 */
async function resolvePinned(host: string, allowHttp: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(bare)
    ? [{ address: bare, family: ipaddr.parse(bare).kind() === 'ipv6' ? 6 : 4 }]
    : await lookup(bare, { all: true, verbatim: true });
  if (!addresses.length) throw new Error(`${host} did not resolve`);
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, allowHttp);
    if (refusal) throw new Error(`refused: ${host} resolves to a forbidden address (${refusal})`);
  }
  return { address: addresses[0].address, family: addresses[0].family as 4 | 6 };
}

/** One POST: no redirects followed, anything but 2xx is a failure, slow receivers time out. */
export async function postWebhook(request: DeliveryRequest): Promise<DeliveryResult> {
  const started = performance.now();
  const done = (responseCode: number | null, error: string | null): DeliveryResult => ({
    responseCode,
    error,
    ok: error === null,
    durationMs: Math.round(performance.now() - started),
  });
  const checked = checkWebhookUrl(request.url, request.allowHttp);
  if (!checked.url) return done(null, `refused: ${checked.problem}`);
  const url = checked.url;
  let pinned: { address: string; family: 4 | 6 };
  try {
    pinned = await resolvePinned(url.hostname, request.allowHttp);
  } catch (error) {
    return done(null, (error as Error).message);
  }
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Promise<DeliveryResult>((resolve) => {
    let settled = false;
    const finish = (responseCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(responseCode, error));
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
        const settle = () => finish(status, status >= 200 && status < 300 ? null : `receiver answered HTTP ${status}`);
        res.on('end', settle);
        res.on('close', settle);
        res.on('error', settle);
      },
    );
    const timer = setTimeout(() => {
      finish(null, `timed out after ${request.timeoutMs} ms`);
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error) => finish(null, error.message || String(error)));
    req.end(request.body);
  });
}
