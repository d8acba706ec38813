/**
 * Runs once when a server process starts (Next's instrumentation hook): storage sweeps, metrics and
 * (when configured) OpenTelemetry tracing — all in instrumentation.node.ts. Register also runs for the
 * Edge runtime, which has nothing to sweep and must not load the Node SDKs: hence the check.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation.node");
}
