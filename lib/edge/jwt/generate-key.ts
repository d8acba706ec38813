/**
 * Generating secrets: the iron-session password and ES256 signing keys. Used by npm start
 * (development secrets), keys:rotate, the lab and the tests. Web Crypto only (jose generates the key
 * pair with it), so it needs neither Node nor a server.
 */
import { base64url, exportJWK, generateKeyPair } from "jose";
import { DEV_SECRET_MARKER } from "@/lib/edge/config";
import { wallClock } from "@/lib/edge/clock";
import type { PrivateJwk } from "./jwks-schema";

/** 256 bits: iron-session derives its AES and HMAC keys from this password. */
const SESSION_PASSWORD_BYTES = 32;
const KID_SUFFIX_BYTES = 4;

function randomBase64url(bytes: number): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function generateSessionPassword(development: boolean): string {
  return `${development ? DEV_SECRET_MARKER : ""}${randomBase64url(SESSION_PASSWORD_BYTES)}`;
}

export async function generateSigningKey(development: boolean, now = wallClock.now()): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  const date = now.toISOString().slice(0, 10).replace(/-/g, "");
  const kid = `${development ? DEV_SECRET_MARKER : ""}${date}-${randomHex(KID_SUFFIX_BYTES)}`;
  return { kty: "EC", crv: "P-256", alg: "ES256", kid, x: jwk.x!, y: jwk.y!, d: jwk.d! };
}
