/**
 * Runs once when a server process starts (Next's instrumentation hook), under any launcher — `npm
 * start`, plain `next start`, standalone: refuse to serve development data in production, then start
 * the storage sweeps. Only in the Node runtime; the Edge middleware has nothing to check or sweep.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { refuseDevelopmentDataAtStart } = await import("@/lib/server/accounts/development-data");
    await refuseDevelopmentDataAtStart();
    const { startMaintenance } = await import("@/lib/server/maintenance");
    startMaintenance();
  }
}
