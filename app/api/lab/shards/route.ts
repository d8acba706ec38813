import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { handle, json } from "@/lib/server/http/respond";
import { requireLabUser } from "@/lib/server/lab/access";
import { notAllowed } from "@/lib/server/http/methods";
import { address, primaryServing, requireCluster, slotOf, topology } from "@/lib/server/lab/shards/cluster";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * Which shard holds the caller's sessions (the slot of the `{userId}` hash tag and the primary that
 * serves it), and the cluster's shards: each primary, its slot count and its replicas.
 */
export const GET = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  const cluster = await requireCluster();
  const nodes = await topology(cluster);
  const slot = await slotOf(cluster, `{${auth.user.id}}`);
  const primary = primaryServing(nodes, slot);
  return json({
    slot,
    node: primary ? address(primary) : null,
    shards: nodes
      .filter((n) => n.role === "master" && n.slots.length > 0)
      .map((n) => ({
        primary: address(n),
        slots: n.slots.reduce((sum, [from, to]) => sum + to - from + 1, 0),
        replicas: nodes.filter((r) => r.primaryId === n.id).map((r) => ({ node: address(r), failed: r.failed })),
        holdsYourSession: n.id === primary?.id,
      })),
  });
}, LAYERS.lab);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
