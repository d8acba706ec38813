import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { config } from "@/lib/edge/config";
import { wallClock } from "@/lib/server/clock";
import { AppError } from "@/lib/edge/errors";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { requireLabUser } from "@/lib/server/lab/access";
import { issueAccessToken } from "@/lib/server/auth/jwt/sign";
import { CLOCK_TOLERANCE_SECONDS } from "@/lib/edge/jwt/verify";
import { generateSigningKey } from "@/lib/edge/jwt/generate-key";
import { notAllowed } from "@/lib/server/http/methods";
import { readTokenRequestProof } from "@/lib/server/auth/dpop/token-request-proof";
import { LAB_TOKEN_MAX_SECONDS, labTokenBinding } from "@/lib/server/lab/lab-tokens";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({
  /** A token that lives a few seconds, for the expiry experiment; a minute at most (lab-tokens.ts). */
  ttlSeconds: z.number().int().min(1).max(LAB_TOKEN_MAX_SECONDS).default(LAB_TOKEN_MAX_SECONDS),
  /** Which key signs: today's, the previous one still listed, or one no longer in the set. */
  key: z.enum(["signing", "previous", "unlisted"]).default("signing"),
});

/**
 * Mints an access token for the caller's own session, living at most a minute, signed by a chosen key
 * (the expiry and key-rotation experiments). A session bound to a DPoP key gets a token bound to that
 * key, with or without a proof (a proof by another key is refused); an unbound session gets one bound to
 * the proof's key when it sends one, else a Bearer token — even under DPOP_REQUIRED, where the
 * experiments show such a token being refused (lab-tokens.ts says why).
 */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  const { ttlSeconds, key } = await readJson(request, bodySchema);
  const proof = request.headers.has("dpop") ? await readTokenRequestProof(request) : null;
  const ring = config().jwt.privateKeys;
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
    keys = [{ ...(await generateSigningKey(false)), kid: `removed-${wallClock.nowMs().toString(36)}` }];
  }
  const dpopJkt = await labTokenBinding(auth.session.id, proof);
  const issued = await issueAccessToken(
    { userId: auth.user.id, role: auth.user.role, sessionId: auth.session.id, dpopJkt },
    { ttlSeconds, keys },
  );
  const kid = keys[keys.length - 1]!.kid;
  return json({
    accessToken: issued.token,
    tokenType: issued.tokenType,
    expiresIn: issued.expiresIn,
    expiresAt: new Date(wallClock.nowMs() + issued.expiresIn * 1000).toISOString(),
    kid,
    key,
    clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
  });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
