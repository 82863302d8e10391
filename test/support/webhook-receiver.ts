import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/jobs/webhooks/http-delivery.ts';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  /** The Crewgraph-Signature header checked with the endpoint secret (5-minute tolerance). */
  signatureValid: boolean;
  receivedAt: Date;
}

/** How the receiver answers its n-th request (0-based): status, and an optional delay or a promise to wait for. */
export type Responder = (
  n: number,
  request: ReceivedWebhook,
) => { status: number; delayMs?: number; after?: Promise<unknown> };

export interface Receiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** The endpoint secret, once known (createWebhookEndpoint returns it). */
  secret: string;
  /** Resolves when `count` requests arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 that verifies signatures, like a customer's would. */
export async function startReceiver(
  responder: Responder = () => ({ status: 204 }),
  { port = 0, path = '/hooks' } = {},
): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const receiver = { secret: '' } as Receiver;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        /* recorded as null */
      }
      const request: ReceivedWebhook = {
        headers: req.headers,
        raw,
        body,
        signatureValid: verifySignature(receiver.secret, raw, req.headers['crewgraph-signature'] as string),
        receivedAt: new Date(),
      };
      const n = received.length;
      received.push(request);
      const { status, delayMs = 0, after } = responder(n, request);
      let timer: NodeJS.Timeout | undefined;
      const answer = () => {
        timer = setTimeout(() => {
          if (!res.destroyed) res.writeHead(status).end('ok');
        }, delayMs);
      };
      if (after) void after.then(answer);
      else answer();
      res.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}${path}`,
    received,
    async waitFor(count: number, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} webhooks, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A port on 127.0.0.1 where nothing listens (yet). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
