/**
 * The OpenTelemetry SDK for this process, when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans go by
 * OTLP/HTTP (JSON) to <endpoint>/v1/traces in batches, and the last batch is flushed on shutdown.
 *
 * Started from instrumentation.node.ts only (Node runtime). The official packages, pinned to lines
 * that run on Node 20; not @opentelemetry/sdk-node, which pulls in far more than traces.
 */
import "server-only";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { observeTraces } from "@/lib/edge/trace";
import { processSingleton } from "@/lib/edge/singleton";
import { log } from "@/lib/server/log";
import { onShutdown } from "./shutdown";
import { spanObserver } from "./spans";

export interface TracingOptions {
  serviceName: string;
  instanceId: string;
  /** Where the spans go; the OTLP exporter by default, an in-memory one in tests. */
  spanProcessor?: SpanProcessor;
  endpoint?: string;
}

/**
 * `service.instance.id` is still incubating in the semantic conventions, whose docs ask that such
 * names be copied rather than imported from the unstable entry point.
 */
const ATTR_SERVICE_INSTANCE_ID = "service.instance.id";

function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

/** Registers the global tracer provider and the span observer, once per process. */
export function startTracing(options: TracingOptions): NodeTracerProvider {
  return processSingleton("otel.provider", () => {
    const processor =
      options.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.endpoint!) }));
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({
        [ATTR_SERVICE_NAME]: options.serviceName,
        [ATTR_SERVICE_INSTANCE_ID]: options.instanceId,
      }),
      spanProcessors: [processor],
    });
    provider.register();
    observeTraces(spanObserver());
    onShutdown(async () => {
      await provider.shutdown().catch((error: unknown) => log.warn("otel.shutdown_failed", { error }));
    });
    log.info("otel.started", { serviceName: options.serviceName });
    return provider;
  });
}
