/**
 * Session tokens that name their owner's hash slot, for a Redis Cluster.
 *
 * On a cluster, a command or transaction may touch several keys only when they hash to one slot, and
 * a key's `{…}` hash tag is what decides the slot (Redis Cluster specification, "Hash tags"). Listing a
 * user's sessions and signing them all out read the user's index and then the records it names, so
 * the index and every record of that user carry the same tag: the user's id. A session check starts
 * from the cookie alone, so the token must say which tag to use without another round trip: on a
 * cluster it is "<userId>.<random>" — sealed in the cookie like any token, so the client can neither
 * read nor change it — and its digest, the store's key, keeps the tag in front: "<userId>.<sha256 hex>".
 * A token without a tag (every other store) hashes to the bare digest, exactly as before.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { sha256Hex } from "@/lib/server/auth/random";

const TAGGED_TOKEN = /^(\d{1,15})\.[A-Za-z0-9_-]{16,64}$/;
const TAGGED_HASH = /^(\d{1,15})\.([0-9a-f]{64})$/;

/** True when new sessions go to a Redis Cluster, whose tokens carry their owner's tag. */
export function sessionTokensCarryShardTag(): boolean {
  const settings = config();
  return settings.session.store === "redis" && settings.redis?.kind === "cluster";
}

export function taggedSessionToken(userId: number, random: string): string {
  return `${userId}.${random}`;
}

/** The store key of a session token: its SHA-256 (hex), behind the token's tag when it has one. */
export function sessionTokenHash(token: string): string {
  const tag = TAGGED_TOKEN.exec(token)?.[1];
  const digest = sha256Hex(token);
  return tag ? `${tag}.${digest}` : digest;
}

/** The tag (owner's id) and digest of a tagged store key; null for an untagged one. */
export function splitTaggedHash(tokenHash: string): { tag: string; digest: string } | null {
  const match = TAGGED_HASH.exec(tokenHash);
  return match ? { tag: match[1]!, digest: match[2]! } : null;
}
