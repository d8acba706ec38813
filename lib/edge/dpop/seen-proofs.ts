/**
 * The DPoP proofs this process (or Edge isolate) has accepted, by key and `jti`, each remembered until
 * its `iat` has left the acceptance window (RFC 9449 §11.1: a proof cannot be accepted twice within
 * the window). Web APIs only.
 *
 * What it guarantees, and what not (SECURITY.md): a proof is accepted at most once per layer of one
 * instance — the Edge middleware and the Node handlers keep separate caches (separate names; in `next
 * start` they do not even share memory), so each layer refuses a replay on its own and a skipped
 * middleware loses nothing. It cannot see other instances: a proof replayed on another instance within
 * the window passes this cache there. State-changing handlers therefore also claim the jti in the
 * shared store (lib/server/auth/dpop/jti-store.ts); a GET may be replayed on another instance within the
 * window. The cache is bounded: when more than MAX_ENTRIES proofs are live at once, the oldest are
 * forgotten early (for such a flood to evict someone's proof, an attacker must send that many valid
 * proofs — and the shared store still holds for state changes).
 */
import { wallClock } from "@/lib/edge/clock";
import { processSingleton } from "@/lib/edge/singleton";

/** ~100 bytes each: a few megabytes at most. */
export const MAX_ENTRIES = 50_000;

export class SeenProofs {
  /** `jkt.jti` → when it may be forgotten (ms). Insertion order is close to expiry order. */
  private readonly entries = new Map<string, number>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Records the proof and answers true the first time it is seen inside its window; false for a
   * replay. `key` is `jkt.jti`: jti values are unique per key (RFC 9449 §4.2), never across keys.
   */
  firstSighting(key: string, acceptableUntilMs: number, nowMs = wallClock.nowMs()): boolean {
    this.forgetExpired(nowMs);
    const until = this.entries.get(key);
    if (until !== undefined && until > nowMs) return false;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.delete(key);
    this.entries.set(key, acceptableUntilMs);
    return true;
  }

  /** Drops expired entries from the oldest end: amortised O(1) per call. */
  private forgetExpired(nowMs: number): void {
    for (const [key, until] of this.entries) {
      if (until > nowMs) return;
      this.entries.delete(key);
    }
  }
}

export type ProofLayer = "edge" | "proxy" | "node";

/** One cache per layer per process: Next bundles routes separately (singleton.ts). */
export function seenProofs(layer: ProofLayer): SeenProofs {
  return processSingleton(`dpopSeenProofs.${layer}`, () => new SeenProofs());
}

export function proofKey(proof: { jkt: string; jti: string }): string {
  return `${proof.jkt}.${proof.jti}`;
}
