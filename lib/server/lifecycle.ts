/**
 * Where this process is in its life, as the launcher (scripts/server.mjs) tells it: starting (warming
 * up), serving, or draining after SIGTERM. /api/health reads it so a load balancer sends traffic only to
 * an instance that is warm and not about to exit.
 *
 * The launcher writes the slot processSingleton("lifecycle") names; under plain `next start` nobody
 * does and the process reads as serving. Nothing that security depends on reads this.
 */
import "server-only";
import { processSingleton } from "@/lib/edge/singleton";
import { wallClock } from "@/lib/server/clock";

export type LifecycleState = "starting" | "serving" | "draining";

interface LifecycleSlot {
  state: LifecycleState;
  /** ISO time this process started serving code: a restarted process has a new one. */
  startedAt: string;
  /** Set by the launcher only when `npm start` supervises it and will start it again (scripts/server/restart.mjs). */
  requestRestart?: () => void;
}

const slot = () =>
  processSingleton<LifecycleSlot>("lifecycle", () => ({ state: "serving", startedAt: wallClock.now().toISOString() }));

export function lifecycleState(): LifecycleState {
  return slot().state;
}

export function processStartedAt(): string {
  return slot().startedAt;
}

/**
 * Asks the launcher to drain this process and exit so `npm start` starts it again. False (nothing
 * happens) when nobody supervises the process: plain `next start`, the test harness, a container.
 */
export function requestProcessRestart(): boolean {
  const restart = slot().requestRestart;
  if (!restart) return false;
  restart();
  return true;
}
