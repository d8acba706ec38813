/**
 * A throwaway redis-server on a free loopback port, owned by one test file (a thin wrapper around
 * scripts/lib/redis-processes.ts). It can be stopped and started again on the same port, which is
 * how the outage tests break and heal the session store.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startRedisServer, type RedisProcess } from "@/scripts/lib/redis-processes";

export interface RedisServer extends RedisProcess {
  dispose(): Promise<void>;
}

export async function startRedis(options: { persistence?: boolean; args?: string[] } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "authlab-redis-"));
  const server = await startRedisServer({ dir, persistence: options.persistence, args: options.args });
  return Object.assign(server, {
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
