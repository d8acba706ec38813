/**
 * Node's replay check for DPoP proofs, used by every route handler that accepts one (resource routes
 * through request-token.ts, the token endpoints through token-request-proof.ts):
 *
 *  1. this process's own cache (lib/edge/dpop/seen-proofs.ts, the "node" layer — separate from the Edge
 *     middleware's, so a skipped middleware loses nothing): a replay on this instance is refused;
 *  2. for a request that changes state (any method but GET, HEAD, OPTIONS), the shared store
 *     (jti-store.ts): a replay on any instance sharing the database (or Redis) is refused.
 * A GET replayed on another instance within the window is answered (SECURITY.md says so): a read,
 * answered to whoever holds both the token and a proof made for that exact request.
 */
import "server-only";
import { proofKey, seenProofs } from "@/lib/edge/dpop/seen-proofs";
import type { VerifiedProof } from "@/lib/edge/dpop/verify-proof";
import type { ReplayCheck } from "@/lib/edge/jwt/authenticate";
import { NO_RECORDER, timed, type Recorder } from "@/lib/edge/trace";
import { jtiStore } from "./jti-store";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function changesState(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export function nodeFirstSighting(method: string, recorder: Recorder = NO_RECORDER): ReplayCheck {
  return async (proof: VerifiedProof) => {
    if (!seenProofs("node").firstSighting(proofKey(proof), proof.acceptableUntilMs)) return false;
    if (!changesState(method)) return true;
    const store = jtiStore();
    return timed(recorder, "dpopReplay", () => store.claim(proof), store.kind);
  };
}
