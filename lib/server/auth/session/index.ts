/**
 * The configured SessionStore, one per process (expired records are swept by lib/maintenance.ts).
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { db, fastReads } from "@/lib/server/db/client";
import { createRedis } from "@/lib/server/redis/client";
import { DatabaseSessionStore } from "@/lib/server/auth/session/database-store";
import { MemorySessionStore } from "@/lib/server/auth/session/memory-store";
import { RedisSessionStore } from "@/lib/server/auth/session/redis-store";
import type { SessionStore } from "@/lib/server/auth/session/store";

function createStore(): SessionStore {
  const settings = config();
  switch (settings.sessionStore) {
    case "memory":
      return new MemorySessionStore();
    case "database":
      return new DatabaseSessionStore(db, fastReads);
    case "redis":
      return new RedisSessionStore(createRedis(settings.redis!, `authlab-sessions:${settings.instanceId}`));
  }
}

export function sessionStore(): SessionStore {
  return processSingleton("sessionStore", createStore);
}
