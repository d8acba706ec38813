/**
 * The configured SessionStore, one per process (expired records are swept by lib/maintenance.ts).
 */
import { config } from "@/lib/config";
import { db, fastReads } from "@/lib/db/client";
import { createRedis } from "@/lib/redis/client";
import { DatabaseSessionStore } from "./database-store";
import { MemorySessionStore } from "./memory-store";
import { RedisSessionStore } from "./redis-store";
import type { SessionStore } from "./store";

const GLOBAL_KEY = Symbol.for("authlab.sessionStore");
type GlobalWithStore = typeof globalThis & { [GLOBAL_KEY]?: SessionStore };

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
  const holder = globalThis as GlobalWithStore;
  if (!holder[GLOBAL_KEY]) {
    const store = createStore();
    holder[GLOBAL_KEY] = store;
  }
  return holder[GLOBAL_KEY];
}
