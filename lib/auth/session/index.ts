/**
 * The configured SessionStore, one per process, with a periodic sweep of expired records.
 */
import { config } from "@/lib/config";
import { db, fastReads } from "@/lib/db/client";
import { log } from "@/lib/log";
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

function startSweeper(store: SessionStore) {
  const timer = setInterval(() => {
    store
      .deleteExpired(new Date())
      .then((count) => {
        if (count > 0) log.info("session.sweep", { store: store.kind, deleted: count });
      })
      .catch((error: unknown) => log.warn("session.sweep_failed", { store: store.kind, error }));
  }, config().sessionSweepIntervalSeconds * 1000);
  // Never keep a process alive just to sweep.
  timer.unref();
}

export function sessionStore(): SessionStore {
  const holder = globalThis as GlobalWithStore;
  if (!holder[GLOBAL_KEY]) {
    const store = createStore();
    holder[GLOBAL_KEY] = store;
    startSweeper(store);
  }
  return holder[GLOBAL_KEY];
}
