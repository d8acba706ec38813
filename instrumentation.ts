/**
 * Runs once when a server process starts (Next's instrumentation hook, awaited before the server takes
 * requests), under any launcher — `npm start`, plain `next start`, standalone: refuse to serve
 * metrics without a token or development data in production; start the storage sweeps, metrics and (when configured)
 * OpenTelemetry tracing, all in instrumentation.node.ts; then warm up what first requests would pay for.
 * Register also runs for the Edge runtime, which has nothing to check or sweep and must not load the
 * Node SDKs: hence the check.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { config } = await import("@/lib/edge/config");
    const { refuseUnguardedMetricsAtStart } = await import("@/lib/server/observability/metrics-required");
    refuseUnguardedMetricsAtStart(config());
    const { refuseDevelopmentDataAtStart } = await import("@/lib/server/accounts/development-data");
    await refuseDevelopmentDataAtStart();
    await import("./instrumentation.node");
    const { warmUp } = await import("@/lib/server/warm-up");
    await warmUp();
  }
}
