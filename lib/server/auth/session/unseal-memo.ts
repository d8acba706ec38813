/**
 * The unseal memo: this process remembers which sealed cookie opens to which token, for the seal's own
 * lifetime. (Not the cookie cache, whose snapshot travels inside the cookie: snapshot-in-cookie.ts.)
 *
 * A seal is immutable: the same string always opens to the same token, until the expiry iron wrote
 * into it. Opening one costs two key derivations, an HMAC and an AES decryption through WebCrypto —
 * the largest part of a session check once the store is fast (bench/README.md). Only successful
 * opens are remembered (so garbage cannot fill the cache), entries carry the seal's expiry, the size
 * is bounded, and a process restart (the only way passwords change) starts empty.
 */
import "server-only";
import { processSingleton } from "@/lib/edge/singleton";
import { wallClock } from "@/lib/server/clock";
import type { SessionSnapshot } from "./snapshot-in-cookie";

const MAX_ENTRIES = 10_000;

export interface Opened {
  token: string;
  /** SHA-256 of the token, the store's key: computed once per seal, not once per request. */
  tokenHash: string;
  /** The cookie cache's snapshot sealed with the token, if any (a seal is immutable, so it is too). */
  snapshot: SessionSnapshot | null;
}

interface Entry extends Opened {
  expiresAtMs: number;
}

function cache(): Map<string, Entry> {
  return processSingleton("unsealMemo", () => new Map<string, Entry>());
}

/** Iron's expiry field (milliseconds since the epoch): the sixth `*`-separated part. */
export function sealExpiryMs(seal: string): number | null {
  const value = Number(seal.split("*")[5]);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** The wall clock: iron stamped the seal's expiry from it. */
export function cachedToken(seal: string, now = wallClock.nowMs()): Opened | null {
  const entry = cache().get(seal);
  if (!entry) return null;
  if (entry.expiresAtMs <= now) {
    cache().delete(seal);
    return null;
  }
  return entry;
}

export function rememberToken(seal: string, opened: Opened): void {
  const expiresAtMs = sealExpiryMs(seal);
  if (expiresAtMs === null) return;
  const entries = cache();
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(seal, { ...opened, expiresAtMs });
}
