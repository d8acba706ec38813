/**
 * The lab's own view of the Redis Cluster the session store runs on: which slot a user's sessions
 * hash to and which node serves it. A connection of its own (the store's is private to the store),
 * with the same fail-fast options.
 */
import "server-only";
import type { Cluster } from "ioredis";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { processSingleton } from "@/lib/edge/singleton";
import { createRedis, whenReady } from "@/lib/server/redis/client";
import { parseClusterNodes, type ClusterNode } from "@/lib/server/redis/cluster-nodes";
import { sessionTokensCarryShardTag } from "@/lib/server/auth/session/shard-tag";

/** The session store is a Redis Cluster (the tokens then carry their owner's hash tag). */
export const sessionsOnCluster = sessionTokensCarryShardTag;

function labCluster(): Cluster {
  return processSingleton("labCluster", () => {
    const settings = config();
    if (settings.redis?.kind !== "cluster") throw new Error("not a cluster");
    return createRedis(settings.redis, `authlab-lab:${settings.instanceId}`) as Cluster;
  });
}

/** The cluster, ready; 409 `lab_unavailable` when sessions are not on one, 503 when it cannot be reached. */
export async function requireCluster(): Promise<Cluster> {
  if (!sessionsOnCluster())
    throw new AppError("lab_unavailable", "this experiment needs the session store on a Redis Cluster");
  const cluster = labCluster();
  try {
    await whenReady(cluster);
    return cluster;
  } catch (cause) {
    throw new AppError("session_store_unavailable", "the Redis Cluster cannot be reached right now", {
      headers: { "retry-after": "2" },
      cause,
    });
  }
}

/** The slot a key hashes to, as the cluster computes it (CRC16 of the hash tag, mod 16384). */
export async function slotOf(cluster: Cluster, key: string): Promise<number> {
  return Number(await cluster.call("CLUSTER", "KEYSLOT", key));
}

export async function topology(cluster: Cluster): Promise<ClusterNode[]> {
  return parseClusterNodes(String(await cluster.call("CLUSTER", "NODES")));
}

/** The live primary serving `slot`, if any. */
export function primaryServing(nodes: ClusterNode[], slot: number): ClusterNode | undefined {
  return nodes.find(
    (n) => n.role === "master" && !n.failed && n.slots.some(([from, to]) => slot >= from && slot <= to),
  );
}

export const address = (node: Pick<ClusterNode, "host" | "port">) =>
  node.host.includes(":") ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`;
