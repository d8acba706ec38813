import { config } from "@/lib/edge/config";
import { handle, json } from "@/lib/server/http/respond";
import { storeReachable } from "@/lib/server/health";
import { notAllowed } from "@/lib/server/http/methods";

export const dynamic = "force-dynamic";

/** No auth and no middleware: the benchmark's baseline and the load balancer's probe. */
export const GET = handle(async () => {
  const settings = config();
  return json({
    ok: true,
    instance: settings.instanceId,
    sessionStore: settings.sessionStore,
    storeReachable: await storeReachable(),
    database: settings.databaseKind,
  });
});

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
