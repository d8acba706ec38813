import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { assertDevelopmentLab, requireLabUser } from "@/lib/server/lab/access";
import { notAllowed } from "@/lib/server/http/methods";
import { requireCluster } from "@/lib/server/lab/shards/cluster";
import { killShardOf } from "@/lib/server/lab/shards/failover";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ burst: z.number().int().min(2).max(200).default(40) });

/**
 * Kills (SIGKILL) the primary of the shard that holds the caller's sessions, while a burst of witness
 * records is being written there, after leaving a witness on every other shard. Development only,
 * and only a redis-server on this machine (lib/server/lab/shards/kill-primary.ts).
 */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  assertDevelopmentLab("this experiment kills a Redis process");
  const { burst } = await readJson(request, bodySchema);
  const cluster = await requireCluster();
  return json(await killShardOf(cluster, auth.user.id, burst));
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
