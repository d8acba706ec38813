/**
 * The configured SessionStore, one per process (expired records are swept by lib/server/maintenance.ts).
 * Redis, the one store outside the database that can fail on its own, honours the tombstones a
 * sign-out leaves when it cannot reach it (honour-tombstones.ts).
 */
import "server-only";
import { config, type Config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { db, fastReads } from "@/lib/server/db/client";
import { createRedis } from "@/lib/server/redis/client";
import { DatabaseSessionStore } from "@/lib/server/auth/session/database-store";
import { MemorySessionStore } from "@/lib/server/auth/session/memory-store";
import { RedisSessionStore } from "@/lib/server/auth/session/redis-store";
import type { SessionStore } from "@/lib/server/auth/session/store";
import { honourTombstones, type SettlesTombstones } from "@/lib/server/auth/session/honour-tombstones";

export interface SessionStoreSettings {
  session: Pick<Config["session"], "store">;
  redis: Config["redis"];
  instanceId: string;
}

/**
 * The store a server runs for these settings, wrappers included, over the process's database: what
 * sessionStore() builds from the configuration, and what the session store contract test runs, so a
 * wrapper that broke the contract would fail it.
 */
export function createSessionStore(settings: SessionStoreSettings): SessionStore & Partial<SettlesTombstones> {
  switch (settings.session.store) {
    case "memory":
      return new MemorySessionStore();
    case "database":
      return new DatabaseSessionStore(db, fastReads);
    case "redis":
      if (!settings.redis) throw new Error("SESSION_STORE=redis needs a Redis to connect to");
      return honourTombstones(
        new RedisSessionStore(createRedis(settings.redis, `authlab-sessions:${settings.instanceId}`)),
        fastReads,
      );
  }
}

/**
 * True when a sign-out that cannot reach the store may end the session with a tombstone instead: the
 * store honours them and the database that holds them is a different system. (The database store
 * shares its fate with the tombstones; the memory store cannot be unreachable.)
 */
export function storeHonoursTombstones(): boolean {
  return config().session.store === "redis";
}

/** For the maintenance sweep: finishes sign-outs that met an unreachable store. */
export async function settlePendingSignOuts(): Promise<number> {
  const store = sessionStore() as SessionStore & Partial<SettlesTombstones>;
  return store.settlePending ? store.settlePending() : 0;
}

export function sessionStore(): SessionStore {
  return processSingleton("sessionStore", () => createSessionStore(config()));
}
