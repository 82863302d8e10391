import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../core/principal.ts';
import type { RateLimitDecision } from './limits/rate-limit.ts';
import { clip, type Logger } from '../logger.ts';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** What the server learns about one HTTP request as it goes (for context and the log line). */
export interface RequestInfo {
  id: string;
  startedAt: number;
  principal?: Principal;
  operationName?: string;
  rateLimit?: RateLimitDecision;
  /** URL path, from Yoga's already parsed URL (for the log line). */
  path?: string;
}

const infos = new WeakMap<Request, RequestInfo>();

/** The request's info; its id is the client's `X-Request-Id` when sane, a fresh UUID otherwise. */
export function requestInfo(request: Request): RequestInfo {
  let info = infos.get(request);
  if (!info) {
    const sent = request.headers.get('x-request-id');
    info = { id: sent && SANE_REQUEST_ID.test(sent) ? sent : randomUUID(), startedAt: performance.now() };
    infos.set(request, info);
  }
  return info;
}

export const requestIdOf = (request: Request) => requestInfo(request).id;

/**
 * Echoes the request id on every response and writes one log line per request:
 * id, principal kind and key id (never a secret), operation, status, duration.
 */
export function useRequestInfo(logger: Logger): Plugin {
  return {
    onRequest({ request, url }) {
      requestInfo(request).path = url.pathname;
    },
    onParams({ request, params }) {
      // Client-supplied and logged before authentication: cut, so no request writes a large line.
      if (typeof params?.operationName === 'string') requestInfo(request).operationName = clip(params.operationName);
    },
    onResponse({ request, response }) {
      const info = requestInfo(request);
      response.headers.set('X-Request-Id', info.id);
      const path = info.path ?? new URL(request.url).pathname;
      if (path === '/health' || !logger.isLevelEnabled('info')) return;
      logger.info(
        {
          requestId: info.id,
          method: request.method,
          path,
          status: response.status,
          durationMs: Math.round((performance.now() - info.startedAt) * 10) / 10,
          principal: info.principal?.kind,
          keyId: info.principal?.kind === 'API_KEY' ? info.principal.keyId : undefined,
          adminTokenId: info.principal?.kind === 'ADMIN' ? info.principal.tokenId : undefined,
          operationName: info.operationName,
        },
        'request',
      );
    },
  };
}
