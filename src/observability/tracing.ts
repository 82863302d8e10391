// Types only at the top: the OpenTelemetry SDK is imported by startTracing, so a process
// without OTEL_EXPORTER_OTLP_ENDPOINT loads none of it and its spans cost one null check.
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace-base';

type OtelApi = typeof import('@opentelemetry/api');

export interface ActiveTracing {
  api: OtelApi;
  tracer: Tracer;
}

let active: (ActiveTracing & { shutdown(): Promise<void> }) | null = null;

/** The tracer once startTracing has run; null otherwise (nothing is traced). */
export const activeTracing = (): ActiveTracing | null => active;

/** The span methods an instrumented place may call (null when tracing is off). */
export type SpanHandle = Pick<Span, 'setAttribute' | 'setAttributes'>;

/**
 * Traces are exported when the standard OTLP endpoint variables are set, unless OpenTelemetry's
 * own switches turn them off (OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none).
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return !!endpoint && env.OTEL_SDK_DISABLED !== 'true' && env.OTEL_TRACES_EXPORTER !== 'none';
}

export interface TracingOptions {
  /** Where spans go; default: OTLP over HTTP, configured by the OTEL_EXPORTER_OTLP_* variables. Tests pass an in-memory one. */
  exporter?: SpanExporter;
}

/**
 * Registers the global tracer provider (W3C trace context propagation, AsyncLocalStorage
 * context) and Prisma's instrumentation (a span per Prisma operation and per SQL statement).
 * Spans are batched to the OTLP exporter; a given exporter gets each span as it ends.
 * The resource's service.name is OTEL_SERVICE_NAME, else "crewgraph"; OTEL_RESOURCE_ATTRIBUTES adds to it.
 */
export async function startTracing({ exporter }: TracingOptions = {}): Promise<ActiveTracing> {
  if (active) return active;
  const [api, sdk, resources, prisma] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    import('@prisma/instrumentation'),
  ]);
  const spanExporter = exporter ?? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'crewgraph' }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.NodeTracerProvider({
    resource,
    sampler: requestScopedSampler(api, sdk),
    spanProcessors: [exporter ? new sdk.SimpleSpanProcessor(spanExporter) : new sdk.BatchSpanProcessor(spanExporter)],
  });
  provider.register();
  const instrumentations = prisma.registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new prisma.PrismaInstrumentation()],
  });
  active = {
    api,
    tracer: provider.getTracer('crewgraph'),
    async shutdown() {
      instrumentations();
      await provider.shutdown();
      api.trace.disable();
      api.context.disable();
      api.propagation.disable();
    },
  };
  return active;
}

/** The ratio of new traces kept: OTEL_TRACES_SAMPLER_ARG with a traceidratio sampler, else all of them. */
function rootRatio(env: NodeJS.ProcessEnv): number {
  if (!/traceidratio$/.test(env.OTEL_TRACES_SAMPLER ?? '')) return 1;
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  return ratio >= 0 && ratio <= 1 ? ratio : 1;
}

/**
 * Parent-based sampling, except that a Prisma span with no parent (migrations at start, the
 * webhook poller's claim query every second, the usage flush) starts no trace: traces are
 * requests and webhook deliveries, not the background's polling.
 */
function requestScopedSampler(api: OtelApi, sdk: typeof import('@opentelemetry/sdk-trace-node')): Sampler {
  const ratio = rootRatio(process.env);
  const inner = new sdk.ParentBasedSampler({
    root: ratio < 1 ? new sdk.TraceIdRatioBasedSampler(ratio) : new sdk.AlwaysOnSampler(),
  });
  return {
    shouldSample(context, traceId, name, ...rest) {
      if (name.startsWith('prisma:') && !api.trace.getSpanContext(context)) {
        return { decision: sdk.SamplingDecision.NOT_RECORD };
      }
      return inner.shouldSample(context, traceId, name, ...rest);
    },
    toString: () => `RequestScoped{${inner.toString()}}`,
  };
}

/** Sends the spans still buffered and stops tracing (on shutdown; tests between suites). */
export async function stopTracing(): Promise<void> {
  const stopping = active;
  active = null;
  await stopping?.shutdown();
}

/**
 * Runs `fn` inside a span named `name` (its child spans, Prisma's included, nest under it);
 * without tracing, runs it with no span at all. An error thrown marks the span and is rethrown.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: SpanHandle | null) => Promise<T>,
): Promise<T> {
  if (!active) return fn(null);
  const { api, tracer } = active;
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: api.SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
