/**
 * Where this process is in its life, as the launcher (scripts/server.mjs) tells it: starting (warming
 * up), serving, or draining after SIGTERM. /api/health reads it so a load balancer sends traffic only to
 * an instance that is warm and not about to exit (issues 20.5, 20.6).
 *
 * The launcher writes the slot processSingleton("lifecycle") names; under plain `next start` nobody
 * does and the process reads as serving. Nothing that security depends on reads this.
 */
import "server-only";
import { processSingleton } from "@/lib/edge/singleton";

export type LifecycleState = "starting" | "serving" | "draining";

export function lifecycleState(): LifecycleState {
  return processSingleton<{ state: LifecycleState }>("lifecycle", () => ({ state: "serving" })).state;
}
