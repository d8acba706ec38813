import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { requireLabUser } from "@/lib/server/lab/access";
import { issueAccessToken } from "@/lib/server/auth/jwt/sign";
import { CLOCK_TOLERANCE_SECONDS } from "@/lib/edge/jwt/verify";
import { generateSigningKey } from "@/lib/edge/jwt/generate-key";
import { notAllowed } from "@/lib/server/http/methods";
import { readTokenRequestProof } from "@/lib/server/auth/dpop/token-request-proof";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({
  /** A token that lives a few seconds, for the expiry experiment. */
  ttlSeconds: z.number().int().min(1).max(60).optional(),
  /** Which key signs: today's, the previous one still listed, or one no longer in the set. */
  key: z.enum(["signing", "previous", "unlisted"]).default("signing"),
});

/**
 * Mints an access token for the caller's own session: short-lived, or signed by a chosen key, and —
 * when the request carries a DPoP proof — bound to the proof's key, as login and refresh would bind it
 * (the "steal the access token" experiment). Without a proof the token is a Bearer token, even under
 * DPOP_REQUIRED: the experiments show such a token being refused.
 */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  const { ttlSeconds, key } = await readJson(request, bodySchema);
  const proof = request.headers.has("dpop") ? await readTokenRequestProof(request) : null;
  const ring = config().jwtPrivateKeys;
  let keys = ring;
  if (key === "previous") {
    if (ring.length < 2)
      throw new AppError(
        "invalid_request",
        "only one key is listed; run npm run keys:rotate and restart to have a previous key",
      );
    keys = ring.slice(0, -1);
  } else if (key === "unlisted") {
    // A key that signed once and was then removed from JWT_PRIVATE_JWKS: generated here and thrown away.
    keys = [{ ...(await generateSigningKey(false)), kid: `removed-${Date.now().toString(36)}` }];
  }
  const issued = await issueAccessToken(
    { userId: auth.user.id, role: auth.user.role, sessionId: auth.session.id, dpopJkt: proof?.jkt },
    { ttlSeconds, keys },
  );
  const kid = keys[keys.length - 1]!.kid;
  return json({
    accessToken: issued.token,
    tokenType: issued.tokenType,
    expiresIn: issued.expiresIn,
    expiresAt: new Date(Date.now() + issued.expiresIn * 1000).toISOString(),
    kid,
    key,
    clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
  });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
