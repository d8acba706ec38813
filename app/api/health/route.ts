import { config } from "@/lib/edge/config";
import { builtGate } from "@/lib/edge/gate/name";
import { AppError } from "@/lib/edge/errors";
import { handle, json } from "@/lib/server/http/respond";
import { lifecycleState, processStartedAt } from "@/lib/server/lifecycle";
import { storeReachable } from "@/lib/server/health";
import { storeCircuit } from "@/lib/server/auth/session/store-circuit";
import { notAllowed } from "@/lib/server/http/methods";
import { developmentExperimentsAllowed } from "@/lib/server/lab/access";

export const dynamic = "force-dynamic";

const RETRY_SOON = { headers: { "retry-after": "1" } };

/**
 * No auth and no middleware: the benchmark's baseline and the load balancer's probe. 503 while the
 * launcher warms the instance up (`starting`) and once SIGTERM has begun its drain (`draining`; the
 * launcher also closes the connection after each answer then).
 */
export const GET = handle(async () => {
  const state = lifecycleState();
  if (state === "starting") throw new AppError("starting", "this instance is warming up", RETRY_SOON);
  if (state === "draining") throw new AppError("draining", "this instance is shutting down");
  const settings = config();
  return json({
    ok: true,
    instance: settings.instanceId,
    // Which gate this build runs (the same as every response's x-authlab-gate header).
    gate: builtGate(),
    // Lets the dashboard's Restart experiment tell the restarted process from the old one. That
    // experiment never runs in production, and there a process's uptime tells an unauthenticated
    // caller when it was last patched (OWASP: information exposure), so production leaves it out.
    ...(developmentExperimentsAllowed() ? { startedAt: processStartedAt() } : {}),
    sessionStore: settings.session.store,
    storeReachable: await storeReachable(),
    // closed, or open (session checks answer 503 at once) / half-open (one probe on its way).
    storeCircuit: storeCircuit(settings.session.store).state,
    database: settings.database.kind,
  });
});

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
