/**
 * The shared record of DPoP proofs accepted by state-changing requests (RFC 9449 §11.1), so that a proof
 * captured on its way to one instance cannot be replayed on another within its window. Every instance
 * sharing the store sees the same claims, and each claim is decided by the store itself:
 *
 *  - database (always there): an INSERT of the row (jkt, jti) — its primary key lets exactly one of any
 *    number of concurrent claims through, on SQLite and PostgreSQL alike. A leftover row whose window
 *    has passed (the sweep has not reached it yet) is taken over by a conditional UPDATE.
 *  - Redis, when REDIS_URL (or Sentinels, or a Redis Cluster) is configured: `SET key 1 NX PX <ms left>`,
 *    which Redis expires on its own; one key, so on a cluster the shard owning its slot decides. If
 *    Redis fails mid-flight the claim is made in the database instead, as the rate limiter falls back
 *    to memory: a proof claimed in Redis just before it failed could then be
 *    accepted once more by the database within its window — the price of not refusing every DPoP
 *    state change while Redis is away.
 *
 * Rows live until the proof's iat has left the window, and lib/server/maintenance.ts sweeps them. Proof
 * windows follow the wall clock, never the state clock: a proof's iat comes from the client's clock and
 * is checked against each verifier's own (the Edge's included), which tests cannot move
 * (lib/server/clock.ts).
 */
import "server-only";
import { wallClock } from "@/lib/server/clock";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";
import { db } from "@/lib/server/db/client";
import { deleteInBatches, type BatchedSweep } from "@/lib/server/db/delete-in-batches";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { createRedis, whenReady, type RedisClient } from "@/lib/server/redis/client";
import { log } from "@/lib/server/log";

export interface ProofClaim {
  jkt: string;
  jti: string;
  /** When no verifier accepts the proof any more (its iat has left the window). */
  acceptableUntilMs: number;
}

export interface JtiStore {
  readonly kind: "database" | "redis";
  /** True when this is the first claim of the proof; false when some instance claimed it before. */
  claim(proof: ProofClaim): Promise<boolean>;
  /** Opens the store's connection and reads nothing that exists (lib/server/warm-up.ts); writes nothing. */
  warm(): Promise<void>;
}

class DatabaseJtiStore implements JtiStore {
  readonly kind = "database" as const;

  async claim({ jkt, jti, acceptableUntilMs }: ProofClaim): Promise<boolean> {
    const expiresAt = new Date(acceptableUntilMs);
    try {
      await db().dpopProof.create({ data: { jkt, jti, expiresAt } });
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    // Claimed before: a replay, unless that row's window has passed and only the sweep is late.
    const takenOver = await db().dpopProof.updateMany({
      where: { jkt, jti, expiresAt: { lte: wallClock.now() } },
      data: { expiresAt },
    });
    return takenOver.count === 1;
  }

  async warm(): Promise<void> {
    await db().dpopProof.findFirst({ where: { expiresAt: { lt: new Date(0) } }, select: { jti: true } });
  }
}

class RedisJtiStore implements JtiStore {
  readonly kind = "redis" as const;

  constructor(
    private readonly redis: RedisClient,
    private readonly fallback: JtiStore,
    private readonly prefix = "authlab:dpop:",
  ) {}

  async claim(proof: ProofClaim): Promise<boolean> {
    const ttlMs = Math.max(1, proof.acceptableUntilMs - wallClock.nowMs());
    try {
      await whenReady(this.redis);
      const set = await this.redis.set(`${this.prefix}${proof.jkt}:${proof.jti}`, "1", "PX", ttlMs, "NX");
      return set === "OK";
    } catch (error) {
      log.warn("dpop.jti_store_fallback_to_database", { error });
      return this.fallback.claim(proof);
    }
  }

  async warm(): Promise<void> {
    await this.fallback.warm();
    await whenReady(this.redis);
  }
}

export function jtiStore(): JtiStore {
  return processSingleton("dpopJtiStore", () => {
    const settings = config();
    const database = new DatabaseJtiStore();
    if (!settings.redis) return database;
    return new RedisJtiStore(createRedis(settings.redis, `authlab-dpop:${settings.instanceId}`), database);
  });
}

/** Rows whose proofs no verifier accepts any more (the wall clock: see above). */
export async function deleteExpiredProofs(
  now = wallClock.now(),
  { client = db(), batchSize }: BatchedSweep = {},
): Promise<number> {
  const expired = { expiresAt: { lte: now } };
  // In batches (delete-in-batches.ts) through the expiry index; the key is (jkt, jti).
  return deleteInBatches(async (size) => {
    const batch = await client.dpopProof.findMany({
      where: expired,
      orderBy: { expiresAt: "asc" },
      take: size,
      select: { jkt: true, jti: true },
    });
    if (batch.length === 0) return 0;
    return (await client.dpopProof.deleteMany({ where: { OR: batch, ...expired } })).count;
  }, batchSize);
}
