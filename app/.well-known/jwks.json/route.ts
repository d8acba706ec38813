import { config } from "@/lib/edge/config";
import { keyRingFor } from "@/lib/edge/jwt/keys";
import { handle, json } from "@/lib/server/http/respond";
import { notAllowed } from "@/lib/server/http/methods";

export const dynamic = "force-dynamic";

/** Public members only (kty, crv, x, y, kid, alg, use): never `d`. Cacheable for a few minutes. */
export const GET = handle(async () => {
  const ring = await keyRingFor(config().jwt.privateKeys);
  return json(ring.publicJwks, { headers: { "cache-control": "public, max-age=300" } });
});

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
