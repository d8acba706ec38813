/**
 * "This browser's session has ended", known by every tab of the site without a reload: reloading a
 * protected page would send the reader to /login and lose what the page measured.
 *
 * A tab learns it three ways: it ended the session itself (an experiment signed it out), another tab
 * tells it (a BroadcastChannel: that tab signed out, or an experiment there did), or it asks the server
 * when it comes back into view (visibilitychange, focus) — a cookie is shared by every tab, so a
 * sign-out anywhere is a sign-out here. What another tab says is only a reason to ask: the server's
 * answer decides, so a message can never sign a tab out by itself.
 */
const CHANNEL = "authlab-session";
/** A tab that keeps gaining focus asks at most this often. */
const RECHECK_MIN_INTERVAL_MS = 2000;

const listeners = new Set<() => void>();
let ended = false;
let channel: BroadcastChannel | null = null;
let lastCheck = 0;

function markEnded(): void {
  if (ended) return;
  ended = true;
  for (const notify of listeners) notify();
}

/** Asks the server whether this browser still has a session; marks it ended on a 401 `no_session`. */
export async function recheckSession(): Promise<void> {
  if (ended || Date.now() - lastCheck < RECHECK_MIN_INTERVAL_MS) return;
  lastCheck = Date.now();
  try {
    const response = await fetch("/api/session", { cache: "no-store", credentials: "same-origin" });
    if (response.status !== 401) return void (await response.body?.cancel());
    const body = (await response.json()) as { error?: unknown };
    if (body.error === "no_session") markEnded();
  } catch {
    // Offline or the server is restarting: no news, and no guess.
  }
}

function channelOf(): BroadcastChannel | null {
  if (channel || typeof BroadcastChannel === "undefined") return channel;
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = () => {
    lastCheck = 0;
    void recheckSession();
  };
  return channel;
}

/** Tells every other tab to ask the server (their session is this browser's cookie too). */
export function tellOtherTabs(): void {
  channelOf()?.postMessage({ type: "check" });
}

/** This tab learned the session ended: everything showing the signed-in state follows, and so do other tabs. */
export function announceSessionEnded(): void {
  markEnded();
  tellOtherTabs();
}

/** Listens for the end of the session here and in other tabs; asks the server when the tab comes back. */
export function subscribeSessionEnded(listener: () => void): () => void {
  listeners.add(listener);
  channelOf();
  const onVisible = () => {
    if (document.visibilityState === "visible") void recheckSession();
  };
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("focus", onVisible);
  return () => {
    listeners.delete(listener);
    document.removeEventListener("visibilitychange", onVisible);
    window.removeEventListener("focus", onVisible);
  };
}

export const sessionEnded = (): boolean => ended;
/** On the server, and while hydrating, the session is as the server rendered it. */
export const sessionEndedOnServer = (): boolean => false;
