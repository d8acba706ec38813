/**
 * Runs once when a server process starts (Next's instrumentation hook, awaited before the server
 * takes requests): start the storage sweeps and warm up what first requests would pay for.
 * Only in the Node runtime; the Edge middleware has nothing to sweep.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startMaintenance } = await import("@/lib/server/maintenance");
    startMaintenance();
    const { warmUp } = await import("@/lib/server/warm-up");
    await warmUp();
  }
}
