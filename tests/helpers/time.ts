/**
 * Waiting for a deadline the server announced (e.g. a session's idleExpiresAt), not for a guessed
 * duration: the test proceeds the moment the server's own clock says the state has changed.
 */
export async function waitUntil(instant: number | Date | string, marginMs = 150): Promise<void> {
  const target = new Date(instant).getTime() + marginMs;
  const remaining = target - Date.now();
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}
