/**
 * Generating secrets (Node only): the iron-session password and ES256 signing keys. Used by npm start
 * (development secrets), keys:rotate, the lab and the tests.
 */
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { DEV_SECRET_MARKER } from "@/lib/config";
import type { PrivateJwk } from "@/lib/auth/jwt/jwks-schema";

export function generateSessionPassword(development: boolean): string {
  return `${development ? DEV_SECRET_MARKER : ""}${randomBytes(32).toString("base64url")}`;
}

export async function generateSigningKey(development: boolean, now = new Date()): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  const date = now.toISOString().slice(0, 10).replace(/-/g, "");
  const kid = `${development ? DEV_SECRET_MARKER : ""}${date}-${randomBytes(4).toString("hex")}`;
  return { kty: "EC", crv: "P-256", alg: "ES256", kid, x: jwk.x!, y: jwk.y!, d: jwk.d! };
}
