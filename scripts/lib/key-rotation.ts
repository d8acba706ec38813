/** One key rotation, as a pure function: `npm run keys:rotate` and the development secrets use it. */
import { generateSigningKey } from "@/lib/edge/jwt/generate-key";
import { CLOCK_TOLERANCE_SECONDS } from "@/lib/edge/jwt/verify";
import { signingKeyOf, type PrivateJwk } from "@/lib/edge/jwt/jwks-schema";

export interface Rotation {
  keys: PrivateJwk[];
  added: PrivateJwk;
  retiring: PrivateJwk;
  removed: PrivateJwk[];
  /** Retired keys past their date that were kept because pruning was not asked for. */
  prunable: PrivateJwk[];
}

export interface RotateOptions {
  accessTokenTtlSeconds: number;
  development: boolean;
  prune: boolean;
}

/** Pure: the key set after one rotation at `now`. */
export async function rotate(current: PrivateJwk[], now: Date, options: RotateOptions): Promise<Rotation> {
  const { accessTokenTtlSeconds, development, prune } = options;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const signing = signingKeyOf(current);
  const expired = current.filter((k) => k !== signing && k.retireAt !== undefined && k.retireAt <= nowSeconds);
  const removed = prune ? expired : [];
  const kept = current.filter((k) => !removed.includes(k));
  // The old signing key may have signed a token a moment ago: keep it for a full token lifetime,
  // plus the verifier's clock tolerance.
  const retiring = { ...signing, retireAt: nowSeconds + accessTokenTtlSeconds + CLOCK_TOLERANCE_SECONDS + 60 };
  const added = await generateSigningKey(development, now);
  return {
    keys: [...kept.map((k) => (k === signing ? retiring : k)), added],
    added,
    retiring,
    removed,
    prunable: prune ? [] : expired,
  };
}
