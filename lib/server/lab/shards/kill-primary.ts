/**
 * Kills a Redis Cluster primary the way a machine dies (SIGKILL: no shutdown, no last flush to its
 * replica), for the lab's shard experiment. Only a process on this machine that the demo started can
 * be reached this way, and the lab makes sure that is what it is: the node must listen on loopback,
 * and its own INFO must name a redis-server executable, its pid and the port it was asked about.
 */
import "server-only";
import { Redis } from "ioredis";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { credentialsFrom, REDIS_COMMAND_TIMEOUT_MS, REDIS_CONNECT_TIMEOUT_MS } from "@/lib/server/redis/fail-fast";
import type { ClusterNode } from "@/lib/server/redis/cluster-nodes";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** The pid of the redis-server behind `node`; 409 `lab_unavailable` when it is not one the lab may kill. */
export async function localPidOf(node: ClusterNode): Promise<number> {
  if (!LOOPBACK.has(node.host))
    throw new AppError("lab_unavailable", "the shard's primary is not on this machine; the lab kills only its own");
  const settings = config().redis;
  const client = new Redis({
    host: node.host,
    port: node.port,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    ...credentialsFrom(settings?.kind === "cluster" ? settings.url : undefined),
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const info = await client.info("server");
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim();
    const pid = Number(field("process_id"));
    const executable = field("executable") ?? "";
    if (
      !Number.isInteger(pid) ||
      pid <= 1 ||
      Number(field("tcp_port")) !== node.port ||
      !/redis-server$/.test(executable)
    )
      throw new AppError("lab_unavailable", "the shard's primary is not a redis-server process the lab can identify");
    return pid;
  } finally {
    client.disconnect();
  }
}

export function kill(pid: number): void {
  process.kill(pid, "SIGKILL");
}
