import { config } from "@/lib/config";
import { handle, json } from "@/lib/http/respond";
import { storeReachable } from "@/lib/health";
import { notAllowed } from "@/lib/http/methods";

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
