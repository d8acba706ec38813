/**
 * "This browser's session has ended", told once by whoever learns it (the dashboard, after an
 * experiment signs it out) to whatever shows the signed-in state (the site header), without a page
 * reload: reloading a protected page would send the reader to /login and lose what the page measured.
 */
const listeners = new Set<() => void>();
let ended = false;

export function announceSessionEnded(): void {
  if (ended) return;
  ended = true;
  for (const notify of listeners) notify();
}

export function subscribeSessionEnded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const sessionEnded = (): boolean => ended;
/** On the server, and while hydrating, the session is as the server rendered it. */
export const sessionEndedOnServer = (): boolean => false;
