/**
 * Runs once when a server process starts (Next's instrumentation hook): start the storage sweeps.
 * Only in the Node runtime; the Edge middleware has nothing to sweep.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startMaintenance } = await import("@/lib/server/maintenance");
    startMaintenance();
  }
}
