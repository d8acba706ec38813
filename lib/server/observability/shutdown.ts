/**
 * Work to finish before the process exits (flushing the last batch of spans). The launcher
 * (scripts/server.mjs) awaits these hooks between closing its server and exiting; it finds them
 * through the same globalThis slot (`Symbol.for("authlab.shutdownHooks")`). Under plain `next start`
 * a SIGTERM listener runs them as well, on a best-effort basis (Next may exit first).
 */
import "server-only";
import { processSingleton } from "@/lib/edge/singleton";

type Hook = () => Promise<void>;

const hooks = () =>
  processSingleton("shutdownHooks", () => {
    const set = new Set<Hook>();
    const runAll = () => void Promise.allSettled([...set].map((hook) => hook()));
    process.once("SIGTERM", runAll);
    process.once("SIGINT", runAll);
    return set;
  });

export function onShutdown(hook: Hook): void {
  hooks().add(hook);
}
