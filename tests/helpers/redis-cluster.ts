/**
 * A throwaway Redis Cluster (six redis-server processes on free loopback ports, three primaries and
 * three replicas) owned by one test file: a thin wrapper around scripts/lib/redis-cluster.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startRedisCluster, type RedisCluster } from "@/scripts/lib/redis-cluster";
import { requireBinary } from "./system";

export interface TestRedisCluster extends RedisCluster {
  dispose(): Promise<void>;
}

/** Both binaries a cluster needs; locally a missing one skips, under CI=true it fails. */
export function haveClusterBinaries(): boolean {
  return (
    requireBinary("redis-server", "apt-get install redis-server") &&
    requireBinary("redis-cli", "apt-get install redis-tools")
  );
}

export async function startTestCluster(): Promise<TestRedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "authlab-cluster-"));
  try {
    const cluster = await startRedisCluster({ dir });
    return Object.assign(cluster, {
      async dispose() {
        await cluster.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
