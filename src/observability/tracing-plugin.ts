import type { Span } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestInfo } from '../http/request-info.ts';
import type { ActiveTracing } from './tracing.ts';

/** Span names carry a path only from this set (others are "other"), like the metrics' routes. */
const ROUTES = new Set(['/graphql', '/oauth/token', '/oauth/revoke', '/ready', '/health', '/metrics', '/']);

export const REQUEST_ID_ATTRIBUTE = 'crewgraph.request_id';

const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

/**
 * One server span per HTTP request (continuing the caller's W3C `traceparent`), with the
 * request id, route, status and principal kind; child spans for GraphQL's parse, validate and
 * execute phases, inside which Prisma's spans nest. The document and variables are never
 * recorded (they may hold personal data); the operation's name and type are.
 */
export function useTracing({ api, tracer }: ActiveTracing): Plugin {
  const requestSpans = new WeakMap<Request, Span>();
  const phase = (name: string) => (_payload: unknown, wrapped: () => void) =>
    tracer.startActiveSpan(name, (span) => {
      try {
        wrapped();
      } finally {
        span.end();
      }
    });
  return {
    instrumentation: {
      request({ request }, wrapped) {
        const parent = api.propagation.extract(api.ROOT_CONTEXT, request.headers, headerGetter);
        const path = new URL(request.url).pathname;
        const span = tracer.startSpan(
          `${request.method} ${ROUTES.has(path) ? path : 'other'}`,
          {
            kind: api.SpanKind.SERVER,
            attributes: {
              'http.request.method': request.method,
              'url.path': ROUTES.has(path) ? path : 'other',
              [REQUEST_ID_ATTRIBUTE]: requestInfo(request).id,
            },
          },
          parent,
        );
        requestSpans.set(request, span);
        return api.context.with(api.trace.setSpan(parent, span), wrapped);
      },
      parse: phase('graphql.parse'),
      validate: phase('graphql.validate'),
      execute: (_payload, wrapped) =>
        tracer.startActiveSpan('graphql.execute', async (span) => {
          try {
            await wrapped();
          } finally {
            span.end();
          }
        }),
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const request = (args.contextValue as { request?: Request }).request;
      api.trace.getActiveSpan()?.setAttributes({
        'graphql.operation.type': operation?.operation ?? 'unknown',
        ...(operation?.name && { 'graphql.operation.name': operation.name.value }),
        ...(request && { [REQUEST_ID_ATTRIBUTE]: requestInfo(request).id }),
      });
    },
    onResponse({ request, response }) {
      const span = requestSpans.get(request);
      if (!span) return;
      const info = requestInfo(request);
      span.setAttributes({
        'http.response.status_code': response.status,
        'crewgraph.principal.kind': info.principal?.kind ?? 'anonymous',
      });
      if (response.status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
      span.end();
    },
  };
}
