/**
 * The Node half of the instrumentation hook (instrumentation.ts imports it only when
 * NEXT_RUNTIME === "nodejs", so the Edge bundle never sees prom-client or the OpenTelemetry SDK).
 * Starts, once per server process: the storage sweeps, the metrics, and — when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set — OpenTelemetry tracing.
 */
import { config } from "@/lib/edge/config";
import { startMaintenance } from "@/lib/server/maintenance";
import { startMetrics } from "@/lib/server/observability/metrics-observer";
import { startTracing } from "@/lib/server/observability/otel";

startMaintenance();
const settings = config();
if (settings.metrics.enabled) startMetrics();
if (settings.tracing.endpoint) {
  startTracing({
    endpoint: settings.tracing.endpoint,
    serviceName: settings.tracing.serviceName,
    instanceId: settings.instanceId,
  });
}
