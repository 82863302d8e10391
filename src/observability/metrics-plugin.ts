import { createHash, timingSafeEqual } from 'node:crypto';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestInfo } from '../http/request-info.ts';
import type { Metrics } from './metrics.ts';

export const METRICS_PATH = '/metrics';

/** Paths with a label of their own; anything else is "other" (a client cannot add series with URLs). */
const ROUTES = new Set(['/graphql', '/oauth/token', '/oauth/revoke', '/ready', '/']);
/** Not counted: liveness probes and the scrapes themselves. */
const UNCOUNTED = new Set(['/health', METRICS_PATH]);

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <token>` compared in constant time (hashes: equal lengths whatever was sent). */
function bearerMatches(request: Request, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return !!match && timingSafeEqual(digest(match[1]), expected);
}

/**
 * Serves `GET /metrics` (Prometheus text format), behind `Authorization: Bearer <token>` when
 * a token is set, and observes every other request once it is answered: route, the name of
 * the operation it executed ("unknown" if none ran, a capped set, docs/operations.md), status,
 * principal kind. It reads what request-info already gathered, so a request costs two label
 * lookups and a histogram bucket.
 */
export function useMetrics(metrics: Metrics, { token }: { token?: string } = {}): Plugin {
  const expected = token ? digest(token) : null;
  const operations = new WeakMap<Request, string>();
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== METRICS_PATH) return;
      if (request.method !== 'GET') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { Allow: 'GET' } }));
      } else if (expected && !bearerMatches(request, expected)) {
        endResponse(
          new fetchAPI.Response('metrics need the METRICS_TOKEN bearer token\n', {
            status: 401,
            headers: { 'WWW-Authenticate': 'Bearer realm="crewgraph-metrics"', 'Content-Type': 'text/plain' },
          }),
        );
      } else {
        const { body, contentType } = await metrics.scrape();
        endResponse(
          new fetchAPI.Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } }),
        );
      }
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request) return;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      operations.set(request, metrics.operationLabel(name));
    },
    onResponse({ request, response }) {
      const info = requestInfo(request);
      const path = info.path ?? new URL(request.url).pathname;
      if (UNCOUNTED.has(path)) return;
      const route = ROUTES.has(path) ? path : 'other';
      metrics.observeRequest({
        route,
        operation: route === '/graphql' ? (operations.get(request) ?? 'unknown') : 'none',
        status: response.status,
        principal: info.principal?.kind ?? 'anonymous',
        seconds: (performance.now() - info.startedAt) / 1000,
      });
    },
  };
}
