import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { config } from "@/lib/edge/config";
import { handle, json } from "@/lib/server/http/respond";
import { assertDevelopmentLab, requireLabUser } from "@/lib/server/lab/access";
import { sessionStore } from "@/lib/server/auth/session";
import type { MemorySessionStore } from "@/lib/server/auth/session/memory-store";
import { notAllowed } from "@/lib/server/http/methods";
import { processStartedAt, requestProcessRestart } from "@/lib/server/lifecycle";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * Where `npm start` supervises the server, a real restart: the answer is 202 `mode: "process"`, then
 * the launcher drains this process (this answer included) and exits so the supervisor starts a new one
 * (scripts/server/restart.mjs). The page polls /api/health until `startedAt` changes.
 *
 * Otherwise (plain `next start`, the test harness) a clearly labelled simulation of a process restart: it drops what a restart would drop — every
 * session held in this process's memory. Sessions in the database or Redis are not in the process,
 * so there is nothing to drop and they survive. (The server itself keeps running.)
 *
 * Development only, like the role experiment: with the memory store it signs out every user of the
 * instance, and the lab acts only on the caller's own session (SECURITY.md, lab endpoints).
 */
export const POST = handle(async (request: NextRequest) => {
  await requireLabUser(request);
  assertDevelopmentLab("this experiment signs out every user of the instance");
  const store = sessionStore();
  if (requestProcessRestart()) {
    return json(
      {
        mode: "process",
        simulated: false,
        instance: config().instanceId,
        startedAt: processStartedAt(),
        store: store.kind,
        sessionsSurvive: store.kind !== "memory",
      },
      { status: 202 },
    );
  }
  // By kind, not instanceof: Next bundles routes separately, so the class this module sees may be a
  // different copy from the one that created the process-wide store.
  const wiped = store.kind === "memory" ? (store as MemorySessionStore).wipe() : null;
  return json({
    mode: "simulated",
    simulated: true,
    instance: config().instanceId,
    store: store.kind,
    wipedSessions: wiped,
    sessionsSurvive: wiped === null,
  });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
