/**
 * One contract, three stores (and Redis twice: one server, and a real Redis Cluster sharded by hash
 * slot): whatever SESSION_STORE says, the session logic sees the same behaviour. Each store is built by
 * the factory the server builds its own with (createSessionStore), wrappers included — the Redis store
 * comes wrapped in honourTombstones — so a wrapper that broke the contract fails it here.
 *
 * Like a server, this process has one database, named by DATABASE_URL before anything reads the
 * configuration: the database store keeps its records there, and the Redis store's wrapper reads users
 * and tombstones from it. The tests after the contract look inside one store kind and use it bare.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KIND, createTestDatabase, testSecrets, type TestDatabase } from "../helpers/app-server";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { requireBinary } from "../helpers/system";
import { db, openDatabase } from "@/lib/server/db/client";
import { createRedis, type RedisClient } from "@/lib/server/redis/client";
import { createSessionStore, type SessionStoreSettings } from "@/lib/server/auth/session";
import { MemorySessionStore } from "@/lib/server/auth/session/memory-store";
import { DatabaseSessionStore } from "@/lib/server/auth/session/database-store";
import { RedisSessionStore } from "@/lib/server/auth/session/redis-store";
import type { SessionRecord, SessionStore } from "@/lib/server/auth/session/store";
import { randomToken, sha256Hex } from "@/lib/server/auth/random";
import { sessionTokenHash, taggedSessionToken } from "@/lib/server/auth/session/shard-tag";
import { haveClusterBinaries, startTestCluster, type TestRedisCluster } from "../helpers/redis-cluster";

const MINUTE = 60_000;
let userIds: number[] = [];
/** On a Redis Cluster tokens carry their owner's hash tag, as session-lifecycle.ts issues them there. */
let tagTokens = false;

/** This process's database (DATABASE_URL), with the two accounts every contract run uses. */
let database: TestDatabase;
let accounts: number[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  Object.assign(process.env, {
    ...(await testSecrets()),
    AUTHLAB_ENV: "test",
    DATABASE_URL: database.url,
    INSTANCE_ID: `contract-${process.pid}`,
  });
  const created = await Promise.all(
    ["alice", "bob"].map((n) =>
      db().user.create({ data: { email: `${n}-${Date.now()}@contract.test`, name: n, passwordHash: "x" } }),
    ),
  );
  accounts = created.map((u) => u.id);
});
afterAll(async () => {
  await database?.dispose();
});

/** The store a server with these settings runs (lib/server/auth/session/index.ts). */
function productionStore(settings: Pick<SessionStoreSettings, "session"> & Partial<SessionStoreSettings>) {
  return createSessionStore({ redis: null, instanceId: `contract-${process.pid}`, ...settings });
}

function record(userId: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = new Date();
  const random = randomToken(16);
  return {
    id: randomToken(12),
    tokenHash: sessionTokenHash(tagTokens ? taggedSessionToken(userId, random) : random),
    userId,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: new Date(now.getTime() + 30 * MINUTE),
    expiresAt: new Date(now.getTime() + 7 * 24 * 60 * MINUTE),
    ip: "127.0.0.1",
    userAgent: "contract-test",
    ...overrides,
  };
}

function contract(
  name: string,
  open: () => Promise<{ store: SessionStore; users: number[]; close: () => Promise<void> }>,
  options: { tagTokens?: boolean; timeoutMs?: number } = {},
) {
  describe(`${name} session store`, () => {
    let store: SessionStore;
    let close: () => Promise<void>;

    beforeAll(async () => {
      const opened = await open();
      store = opened.store;
      userIds = opened.users;
      tagTokens = options.tagTokens ?? false;
      close = opened.close;
    }, options.timeoutMs);
    afterAll(async () => {
      await close?.();
    });

    it("creates and gets a record by token hash, with every field intact", async () => {
      const r = record(userIds[0]!);
      await store.create(r);
      const got = await store.get(r.tokenHash);
      expect(got).toEqual(r);
      expect(await store.get(sha256Hex("not-a-token"))).toBeNull();
    });

    it("returns the record with its user in one call, and null for an unknown token", async () => {
      const r = record(userIds[0]!);
      await store.create(r);
      const readUser = async (id: number) => ({
        id,
        email: `user-${id}@contract.test`,
        name: "n",
        role: "USER" as const,
      });
      const found = await store.getWithUser(r.tokenHash, readUser);
      expect(found?.record).toEqual(r);
      expect(found?.user?.id).toBe(userIds[0]);
      expect(await store.getWithUser(sha256Hex("unknown"), readUser)).toBeNull();
    });

    it("touch moves last seen and the idle expiry, and never resurrects a deleted record", async () => {
      const r = record(userIds[0]!);
      await store.create(r);
      const later = new Date(r.lastSeenAt.getTime() + 5000);
      const idle = new Date(later.getTime() + 30 * MINUTE);
      await store.touch(r.tokenHash, later, idle);
      expect(await store.get(r.tokenHash)).toMatchObject({ lastSeenAt: later, idleExpiresAt: idle });
      await store.delete(r.tokenHash);
      await store.touch(r.tokenHash, later, idle);
      expect(await store.get(r.tokenHash)).toBeNull();
    });

    it("lists a user's live sessions only, and deletes one by public id only for its owner", async () => {
      const [alice, bob] = userIds as [number, number];
      await store.deleteByUser(alice);
      await store.deleteByUser(bob);
      const a1 = record(alice);
      const a2 = record(alice);
      const b1 = record(bob);
      for (const r of [a1, a2, b1]) await store.create(r);
      expect((await store.listByUser(alice)).map((r) => r.id).sort()).toEqual([a1.id, a2.id].sort());
      expect(await store.deleteById(bob, a1.id)).toBe(false);
      expect(await store.deleteById(alice, a1.id)).toBe(true);
      expect(await store.get(a1.tokenHash)).toBeNull();
      expect((await store.listByUser(alice)).map((r) => r.id)).toEqual([a2.id]);
    });

    it("deletes every session of a user except one", async () => {
      const [alice] = userIds as [number];
      await store.deleteByUser(alice);
      const keep = record(alice);
      const others = [record(alice), record(alice)];
      for (const r of [keep, ...others]) await store.create(r);
      expect(await store.deleteByUser(alice, keep.tokenHash)).toBe(2);
      expect((await store.listByUser(alice)).map((r) => r.id)).toEqual([keep.id]);
    });

    it("finds a record by public id (what refresh and the strict check ask), and nothing once it has ended", async () => {
      const [alice] = userIds as [number];
      const r = record(alice);
      await store.create(r);
      expect(await store.getById(alice, r.id)).toEqual(r);
      expect(await store.getById(alice, randomToken(12))).toBeNull();
      // Another user's session is not found by its id.
      expect(await store.getById(userIds[1]!, r.id)).toBeNull();
      const later = new Date(r.lastSeenAt.getTime() + 5000);
      const idle = new Date(later.getTime() + 30 * MINUTE);
      await store.touch(r.tokenHash, later, idle);
      expect(await store.getById(alice, r.id)).toMatchObject({ id: r.id, idleExpiresAt: idle });
      await store.delete(r.tokenHash);
      expect(await store.getById(alice, r.id)).toBeNull();

      const byId = record(alice);
      await store.create(byId);
      await store.deleteById(alice, byId.id);
      expect(await store.getById(alice, byId.id)).toBeNull();
      const byUser = record(alice);
      await store.create(byUser);
      await store.deleteByUser(alice);
      expect(await store.getById(alice, byUser.id)).toBeNull();
    });

    it("removes expired records and does not list them", async () => {
      const [alice] = userIds as [number];
      await store.deleteByUser(alice);
      const now = new Date();
      // Redis expires keys itself, so the expired record is written with a moment of life left.
      const soon = new Date(now.getTime() + 300);
      const expiring = record(alice, { idleExpiresAt: soon });
      const live = record(alice);
      await store.create(expiring);
      await store.create(live);
      // Redis expires the record by its own TTL, so poll real time rather than pass a later `now`.
      await expect
        .poll(
          async () => {
            await store.deleteExpired(new Date());
            return store.get(expiring.tokenHash);
          },
          { timeout: 5000, interval: 50 },
        )
        .toBeNull();
      expect(await store.getById(alice, expiring.id)).toBeNull();
      expect((await store.listByUser(alice)).map((r) => r.id)).toEqual([live.id]);
    });

    it("answers ping", async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}

contract("memory", async () => {
  const store = productionStore({ session: { store: "memory" } });
  return { store, users: accounts, close: () => store.close() };
});

describe("memory session store, restarted", () => {
  it("forgets every record, by token hash and by public id", async () => {
    const store = new MemorySessionStore();
    const r = record(1);
    await store.create(r);
    expect(store.wipe()).toBe(1);
    expect(await store.get(r.tokenHash)).toBeNull();
    expect(await store.getById(1, r.id)).toBeNull();
  });
});

contract(`database (${TEST_DATABASE_KIND})`, async () => {
  const store = productionStore({ session: { store: "database" } });
  return { store, users: accounts, close: () => store.close() };
});

describe(`database (${TEST_DATABASE_KIND}) session store sweep`, () => {
  it("deletes in small steps: every expired record goes, every live one stays", async () => {
    const own = await createTestDatabase();
    const opened = openDatabase(own.url);
    try {
      const user = await opened.client.user.create({
        data: { email: `sweep-${Date.now()}@contract.test`, name: "sweep", passwordHash: "x" },
      });
      // Five keys read and two records deleted per statement, so twenty records cross many boundaries.
      const store = new DatabaseSessionStore(
        () => opened.client,
        () => opened.reads,
        { scan: 5, delete: 2 },
      );
      const past = new Date(Date.now() - MINUTE);
      const records = Array.from({ length: 20 }, (_, i) =>
        i % 3 === 0
          ? record(user.id, { idleExpiresAt: past })
          : i % 7 === 0
            ? record(user.id, { expiresAt: past })
            : record(user.id),
      );
      for (const r of records) await store.create(r);
      const expired = new Set(records.filter((_, i) => i % 3 === 0 || i % 7 === 0).map((r) => r.tokenHash));
      expect(await store.deleteExpired(new Date())).toBe(expired.size);
      for (const r of records)
        expect(await store.get(r.tokenHash), r.tokenHash).toEqual(expired.has(r.tokenHash) ? null : r);
    } finally {
      await opened.close();
      await own.dispose();
    }
  });
});

const haveRedis = requireBinary("redis-server", "apt-get install redis-server");
let redis: RedisServer;
if (haveRedis) {
  contract("redis", async () => {
    redis = await startRedis();
    const store = productionStore({ session: { store: "redis" }, redis: { kind: "url", url: redis.url } });
    return {
      store,
      users: accounts,
      close: async () => {
        await store.close();
        await redis.dispose();
      },
    };
  });
}

const haveCluster = haveClusterBinaries();
let cluster: TestRedisCluster;
if (haveCluster) {
  contract(
    "redis cluster",
    async () => {
      cluster = await startTestCluster();
      const store = productionStore({
        session: { store: "redis" },
        redis: { kind: "cluster", nodes: nodesOf(cluster) },
      });
      return { store, users: accounts, close: () => store.close() };
    },
    { tagTokens: true, timeoutMs: 90_000 },
  );

  describe("redis cluster session store: keys by hash tag", () => {
    const prefix = `layout-${process.pid}:`;
    let client: RedisClient;
    let store: RedisSessionStore;

    beforeAll(() => {
      client = createRedis({ kind: "cluster", nodes: nodesOf(cluster) }, "contract-test-layout");
      store = new RedisSessionStore(client, prefix);
    });
    afterAll(async () => {
      client?.disconnect();
      await cluster?.dispose();
    });

    it("keeps a user's index and every one of the user's records in one slot, and users on several shards", async () => {
      const users = await usersOnEachPrimary(cluster);
      for (const userId of users) {
        tagTokens = true;
        const records = [record(userId), record(userId)];
        for (const r of records) await store.create(r);
        const keys = [
          `${prefix}{${userId}}:u`,
          ...records.map((r) => `${prefix}{${userId}}:s:${r.tokenHash.split(".")[1]}`),
        ];
        const slots = await Promise.all(keys.map((key) => client.call("CLUSTER", "KEYSLOT", key)));
        expect(new Set(slots).size).toBe(1);
        expect(await client.exists(...keys)).toBe(keys.length);
        // "Sign out everywhere": one transaction over the index and the records, accepted by the cluster.
        expect(await store.deleteByUser(userId)).toBe(2);
        expect(await client.exists(...keys)).toBe(0);
      }
    });

    it("refuses a record whose token does not name its owner (it would land outside the owner's slot)", async () => {
      tagTokens = false;
      await expect(store.create(record(7))).rejects.toThrow();
      tagTokens = true;
      const someoneElses = record(8);
      await expect(store.create({ ...someoneElses, userId: 7 })).rejects.toThrow();
      // An untagged token (a cookie from before the cluster) names no record here.
      expect(await store.get(sha256Hex(randomToken(16)))).toBeNull();
    });

    it("the sweep prunes the indexes held by every primary", async () => {
      tagTokens = true;
      const users = await usersOnEachPrimary(cluster);
      const soon = new Date(Date.now() + 300);
      for (const userId of users) {
        await store.create(record(userId, { idleExpiresAt: soon }));
        await store.create(record(userId));
      }
      await expect
        .poll(
          async () => {
            await store.deleteExpired();
            return Promise.all(users.map((userId) => client.scard(`${prefix}{${userId}}:u`)));
          },
          { timeout: 5000, interval: 100 },
        )
        .toEqual(users.map(() => 1));
    });
  });
}

function nodesOf(running: TestRedisCluster) {
  return running.processes.map((p) => ({ host: "127.0.0.1", port: p.port }));
}

/** One user id per primary: the hash tag `{id}` of each lands on a different shard. */
async function usersOnEachPrimary(running: TestRedisCluster): Promise<number[]> {
  const topology = await running.topology();
  const owners = topology.filter((n) => n.role === "master" && !n.failed && n.slots.length > 0);
  // CLUSTER KEYSLOT is answered by any node: the slot a key hashes to, as the cluster computes it.
  const probe = new Redis({ host: "127.0.0.1", port: running.processes.find((p) => p.running)!.port });
  try {
    const found = new Map<string, number>();
    for (let id = 100; found.size < owners.length && id < 10_000; id++) {
      const slot = Number(await probe.call("CLUSTER", "KEYSLOT", `{${id}}`));
      const owner = owners.find((n) => n.slots.some(([from, to]) => slot >= from && slot <= to))!;
      if (!found.has(owner.id)) found.set(owner.id, id);
    }
    expect(found.size).toBe(owners.length);
    return [...found.values()];
  } finally {
    probe.disconnect();
  }
}
