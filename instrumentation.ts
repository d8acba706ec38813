/**
 * Runs once when a server process starts (Next's instrumentation hook), under any launcher — `npm
 * start`, plain `next start`, standalone: refuse to serve development data in production, then start
 * the storage sweeps, metrics and (when configured) OpenTelemetry tracing — all in
 * instrumentation.node.ts. Register also runs for the Edge runtime, which has nothing to check or sweep
 * and must not load the Node SDKs: hence the check.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { refuseDevelopmentDataAtStart } = await import("@/lib/server/accounts/development-data");
    await refuseDevelopmentDataAtStart();
    await import("./instrumentation.node");
  }
}
