/**
 * A real Redis Cluster on loopback, for the sharded demo (npm run cluster -- --sharded), the test suites
 * and the benchmark: six `redis-server --cluster-enabled yes` processes (append-only), joined by
 * `redis-cli --cluster create … --cluster-replicas 1`, which makes three primaries, each with one
 * replica, and spreads the 16384 hash slots over the primaries (Redis docs, "Scale with Redis Cluster").
 * Each node also gets `cluster-require-full-coverage no`, so a shard whose primary is gone leaves the
 * others answering (docs/redis-cluster.md says why a session store wants that).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { startRedisServer, type RedisProcess } from "./redis-processes";
import { parseClusterNodes, type ClusterNode } from "@/lib/server/redis/cluster-nodes";

export type { ClusterNode };

const run = promisify(execFile);

export const CLUSTER_NODE_COUNT = 6;
/**
 * How long a primary may be unreachable before the others mark it failed and its replica is elected
 * (`cluster-node-timeout`; Redis's default is 15 s). Short, so a demo or a test sees the failover in a
 * few seconds; a production cluster on a real network keeps a larger margin.
 */
export const DEMO_NODE_TIMEOUT_MS = 2000;

export interface RedisCluster {
  readonly processes: RedisProcess[];
  /** `host:port,…` of every node: the value for REDIS_CLUSTER_NODES. */
  readonly seeds: string;
  /** The topology as a running node sees it (CLUSTER NODES). */
  topology(): Promise<ClusterNode[]>;
  /** The process of the primary that owns `slot` now. */
  primaryOf(slot: number): Promise<RedisProcess>;
  /**
   * Resolves once every slot is served (cluster_state:ok on every running node) and every primary
   * has a replica whose link is up; throws after `timeoutMs`.
   */
  waitHealthy(options?: { timeoutMs?: number; replicas?: boolean }): Promise<void>;
  /** Starts every node that is not running (a killed primary comes back as its successor's replica). */
  restartStopped(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  /** Each node gets its own directory under this one (its AOF and nodes.conf). */
  dir: string;
  /** Six ports, or free loopback ports when omitted. */
  ports?: number[];
  nodeTimeoutMs?: number;
}

export async function startRedisCluster(options: RedisClusterOptions): Promise<RedisCluster> {
  const nodeTimeoutMs = options.nodeTimeoutMs ?? DEMO_NODE_TIMEOUT_MS;
  const processes: RedisProcess[] = [];
  try {
    for (let i = 0; i < CLUSTER_NODE_COUNT; i++) {
      const port = options.ports?.[i];
      processes.push(
        await startRedisServer({
          dir: path.join(options.dir, `node-${port ?? i}`),
          port,
          persistence: true,
          args: [
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            String(nodeTimeoutMs),
            // A shard without a primary must not stop the others: with the default (yes) every node
            // refuses every query while any slot is uncovered (redis.conf, cluster-require-full-coverage).
            "--cluster-require-full-coverage",
            "no",
          ],
        }),
      );
    }
    const addresses = processes.map((p) => `127.0.0.1:${p.port}`);
    await run("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "1", "--cluster-yes"], {
      timeout: 60_000,
    });
  } catch (error) {
    for (const process of processes) await process.stop();
    throw error;
  }
  const cluster = handle(processes);
  try {
    await cluster.waitHealthy({ timeoutMs: 60_000 });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

function handle(processes: RedisProcess[]): RedisCluster {
  const byPort = (port: number) => processes.find((p) => p.port === port);
  const askAnyRunning = async <T>(ask: (client: Redis) => Promise<T>): Promise<T> => {
    let lastError: unknown = new Error("no cluster node is running");
    for (const process of processes.filter((p) => p.running)) {
      const client = direct(process.port);
      try {
        return await ask(client);
      } catch (error) {
        lastError = error;
      } finally {
        client.disconnect();
      }
    }
    throw lastError;
  };
  const topology = () =>
    askAnyRunning(async (client) => parseClusterNodes(String(await client.call("CLUSTER", "NODES"))));

  return {
    processes,
    seeds: processes.map((p) => `127.0.0.1:${p.port}`).join(","),
    topology,
    async primaryOf(slot) {
      const owner = (await topology()).find(
        (n) => n.role === "master" && !n.failed && n.slots.some(([from, to]) => slot >= from && slot <= to),
      );
      const process = owner ? byPort(owner.port) : undefined;
      if (!process) throw new Error(`no primary of this cluster owns slot ${slot}`);
      return process;
    },
    async waitHealthy({ timeoutMs = 30_000, replicas = true } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const problem = await unhealthy(processes, replicas);
        if (!problem) return;
        if (Date.now() >= deadline)
          throw new Error(`the Redis Cluster is not healthy after ${timeoutMs} ms: ${problem}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async restartStopped() {
      for (const process of processes) if (!process.running) await process.start();
    },
    async stop() {
      for (const process of processes) await process.stop();
    },
  };
}

/** What is wrong with the cluster right now, or "" when nothing is. */
async function unhealthy(processes: RedisProcess[], replicas: boolean): Promise<string> {
  const running = processes.filter((p) => p.running);
  for (const process of running) {
    const client = direct(process.port);
    try {
      const info = String(await client.call("CLUSTER", "INFO"));
      if (!/cluster_state:ok/.test(info)) return `node :${process.port} reports cluster_state fail`;
      const nodes = parseClusterNodes(String(await client.call("CLUSTER", "NODES")));
      const live = nodes.filter((n) => !n.failed);
      if (live.filter((n) => n.role === "master" && n.slots.length > 0).length !== CLUSTER_NODE_COUNT / 2)
        return `node :${process.port} does not see ${CLUSTER_NODE_COUNT / 2} primaries serving slots`;
      if (!replicas) continue;
      const replication = await client.info("replication");
      if (/role:master/.test(replication) && !/slave0:.*state=online/.test(replication))
        return `primary :${process.port} has no replica in sync`;
      if (/role:slave/.test(replication) && !/master_link_status:up/.test(replication))
        return `replica :${process.port} is not linked to its primary`;
    } catch (error) {
      return `node :${process.port}: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      client.disconnect();
    }
  }
  return running.length === 0 ? "no node is running" : "";
}

function direct(port: number): Redis {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    lazyConnect: false,
  });
  client.on("error", () => undefined);
  return client;
}
