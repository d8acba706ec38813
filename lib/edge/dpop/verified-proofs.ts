/**
 * DPoP proofs whose signature this process (or Edge isolate) has already verified, by their exact
 * string, so that the same proof checked again in the same process — by the Node proxy's gate and then
 * by the route handler, a moment apart — costs a map lookup instead of a second ECDSA verification.
 * Web APIs only.
 *
 * Why it is safe (the verified-token cache's argument, verified-cache.ts): whether a proof's signature
 * verifies under the key its own header carries is a property of the string alone, so an entry can only
 * say what a full check of that exact string said. Everything that depends on the request or the clock
 * is checked again on every use (verify-proof.ts): `iat` against the window now, `htm`, `htu`, `ath`, the
 * binding to the token's `cnf.jkt`, and — by the caller — replay, in each layer's own cache. Failures are
 * never remembered. An entry is dropped once its proof has left the acceptance window, and the size is
 * bounded: a proof is normally seen twice (gate, handler), so the map stays small.
 */
import { processSingleton } from "@/lib/edge/singleton";
export const MAX_VERIFIED_PROOFS = 10_000;

export interface VerifiedSignature {
  claims: Record<string, unknown>;
  jkt: string;
  /** When the proof leaves the acceptance window (ms): the entry is useless after it. */
  untilMs: number;
}

const entries = () => processSingleton("dpopVerifiedProofs", () => new Map<string, VerifiedSignature>());

export function verifiedSignature(proof: string, nowMs: number): VerifiedSignature | null {
  const map = entries();
  const entry = map.get(proof);
  if (!entry) return null;
  if (entry.untilMs <= nowMs) {
    map.delete(proof);
    return null;
  }
  return entry;
}

export function rememberSignature(proof: string, verified: VerifiedSignature, nowMs: number): void {
  const map = entries();
  // Insertion order is close to expiry order: drop the expired from the oldest end, then bound the size.
  for (const [key, entry] of map) {
    if (entry.untilMs > nowMs) break;
    map.delete(key);
  }
  if (map.size >= MAX_VERIFIED_PROOFS) map.delete(map.keys().next().value!);
  map.set(proof, verified);
}
