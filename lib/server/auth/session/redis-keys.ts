/**
 * Where the Redis session store keeps a record and a user's index of records.
 *
 *  - One server (or Sentinel): `<prefix>s:<tokenHash>` and `<prefix>u:<userId>`, as the store has
 *    always written them, so an upgrade keeps every session.
 *  - A Redis Cluster: `<prefix>{<userId>}:s:<digest>` and `<prefix>{<userId>}:u`. The `{userId}` hash
 *    tag puts a user's index and all of that user's records in one hash slot (Redis Cluster
 *    specification, "Hash tags"), so every transaction and MGET the store makes — a record with its
 *    index, the index with the records it names — is a single-slot operation, as the cluster
 *    requires (anything else is refused with CROSSSLOT). The tag comes from the token (shard-tag.ts).
 */
import "server-only";
import { splitTaggedHash } from "@/lib/server/auth/session/shard-tag";

export const DEFAULT_SESSION_KEY_PREFIX = "authlab:";

export interface SessionKeyLayout {
  readonly sharded: boolean;
  /** The record's key; null when the token cannot name a record in this layout (an untagged token on a cluster). */
  record(tokenHash: string): string | null;
  index(userId: number): string;
  /** SCAN pattern matching every user index. */
  indexPattern: string;
  /** The user id an index key names, or null. */
  userOfIndex(key: string): number | null;
  /** Whether a record of `userId` may be stored under this token hash. */
  accepts(tokenHash: string, userId: number): boolean;
}

function userIdFrom(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

export function flatLayout(prefix: string): SessionKeyLayout {
  return {
    sharded: false,
    record: (tokenHash) => `${prefix}s:${tokenHash}`,
    index: (userId) => `${prefix}u:${userId}`,
    indexPattern: `${prefix}u:*`,
    userOfIndex: (key) => (key.startsWith(`${prefix}u:`) ? userIdFrom(key.slice(`${prefix}u:`.length)) : null),
    accepts: () => true,
  };
}

export function hashTaggedLayout(prefix: string): SessionKeyLayout {
  if (prefix.includes("{")) throw new Error("a key prefix with '{' would become the hash tag");
  return {
    sharded: true,
    record: (tokenHash) => {
      const tagged = splitTaggedHash(tokenHash);
      return tagged ? `${prefix}{${tagged.tag}}:s:${tagged.digest}` : null;
    },
    index: (userId) => `${prefix}{${userId}}:u`,
    indexPattern: `${prefix}{*}:u`,
    userOfIndex: (key) => userIdFrom(/^\{(\d+)\}:u$/.exec(key.slice(prefix.length))?.[1]),
    accepts: (tokenHash, userId) => splitTaggedHash(tokenHash)?.tag === String(userId),
  };
}
