/**
 * OpenTelemetry spans for the checks the lab's trace shows, named as the dashboard names them
 * (lib/edge/trace.ts CHECKS and STEPS): "session check", "token check", "strict check" and "refresh
 * token rotation" wrap the whole check as the active span; its steps ("iron-session unseal", "session
 * store lookup", "Node JWT verify", …) become child spans with the times the recorder measured.
 *
 * Only the @opentelemetry/api is used here: without a registered provider (OTEL_EXPORTER_OTLP_ENDPOINT
 * unset) every call is a no-op. Attributes name checks, outcomes and store kinds — never a user id,
 * a token or a cookie.
 */
import "server-only";
import { SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { AppError } from "@/lib/edge/errors";
import { CHECKS, STEPS, type TraceObserver } from "@/lib/edge/trace";

export const TRACER_NAME = "authlab";

export function spanObserver(tracer: Tracer = trace.getTracer(TRACER_NAME)): TraceObserver {
  return {
    around(check, run) {
      return tracer.startActiveSpan(CHECKS[check], { attributes: { "authlab.check": check } }, async (span) => {
        try {
          const value = await run();
          span.setAttribute("authlab.outcome", value === null ? "absent" : "ok");
          return value;
        } catch (error) {
          if (error instanceof AppError) {
            // A refused credential is the check working, not a fault of the server.
            span.setAttribute("authlab.outcome", error.code);
            if (error.reason) span.setAttribute("authlab.reason", error.reason);
          } else {
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          throw error;
        } finally {
          span.end();
        }
      });
    },
    step(step, ms, detail) {
      // The recorder reports a step when it ends; the span is drawn over the time it took.
      const end = performance.now();
      const span = tracer.startSpan(STEPS[step], {
        startTime: end - ms,
        attributes: { "authlab.step": step, ...(detail ? { "authlab.detail": detail } : {}) },
      });
      span.end(end);
    },
  };
}
