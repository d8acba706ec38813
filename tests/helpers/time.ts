/**
 * Waiting for a deadline the server announced (e.g. a session's idleExpiresAt), not for a guessed
 * duration: the test proceeds the moment the server's own clock says the state has changed.
 */
export async function waitUntil(instant: number | Date | string, marginMs = 150): Promise<void> {
  const target = new Date(instant).getTime() + marginMs;
  const remaining = target - Date.now();
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}

/** Polls until `check` returns true (for hooks, where expect.poll is not available). */
export async function pollUntil(check: () => Promise<boolean>, { timeoutMs, intervalMs = 250, what }: { timeoutMs: number; intervalMs?: number; what: string }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
