/**
 * Session records the lab writes on a shard to watch it: owned by no account. Their owner ids come
 * from the top of the id range (999 999 999 999 999 down), which an autoincrement account id never
 * reaches, so they never appear in anyone's session list, and a record of theirs cannot open a page
 * (no account, so a session check ends it). They live ten minutes at most, and the experiment deletes
 * them when it is done.
 */
import "server-only";
import type { Cluster } from "ioredis";
import { AppError } from "@/lib/edge/errors";
import { PUBLIC_ID_BYTES, SESSION_TOKEN_BYTES, randomToken } from "@/lib/server/auth/random";
import { sessionTokenHash, taggedSessionToken } from "@/lib/server/auth/session/shard-tag";
import type { SessionRecord } from "@/lib/server/auth/session/store";
import { stateClock } from "@/lib/server/clock";
import { slotOf, primaryServing } from "@/lib/server/lab/shards/cluster";
import type { ClusterNode } from "@/lib/server/redis/cluster-nodes";

export const HIGHEST_WITNESS_OWNER = 999_999_999_999_999;
/** Enough candidates to find one on each of a few hundred primaries. */
const WITNESS_OWNERS = 100_000;
const WITNESS_LIFETIME_MS = 10 * 60_000;

export function isWitnessOwner(userId: number): boolean {
  return (
    Number.isSafeInteger(userId) && userId <= HIGHEST_WITNESS_OWNER && userId > HIGHEST_WITNESS_OWNER - WITNESS_OWNERS
  );
}

/** A witness owner id whose records land on `primary`. */
export async function witnessOwnerOn(cluster: Cluster, nodes: ClusterNode[], primary: ClusterNode): Promise<number> {
  for (let owner = HIGHEST_WITNESS_OWNER; isWitnessOwner(owner); owner--) {
    if (primaryServing(nodes, await slotOf(cluster, `{${owner}}`))?.id === primary.id) return owner;
  }
  throw new AppError("lab_unavailable", "no witness owner id hashes to this shard");
}

/** Times by the state clock, like every session record's: the store computes the record's TTL by it. */
export function witnessRecord(owner: number, now = stateClock.nowMs()): SessionRecord {
  const at = new Date(now);
  const expires = new Date(now + WITNESS_LIFETIME_MS);
  return {
    id: randomToken(PUBLIC_ID_BYTES),
    // The token itself is thrown away: no cookie ever holds it.
    tokenHash: sessionTokenHash(taggedSessionToken(owner, randomToken(SESSION_TOKEN_BYTES))),
    userId: owner,
    createdAt: at,
    lastSeenAt: at,
    idleExpiresAt: expires,
    expiresAt: expires,
    ip: null,
    userAgent: "authlab lab witness",
  };
}
