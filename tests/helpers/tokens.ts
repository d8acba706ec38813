/**
 * Building tokens the way an attacker (or a confused client) would: hand-made headers, foreign keys,
 * and — for claim checks — our own key with claims the server must refuse.
 */
import { TOKEN_REJECTION_REASONS, type TokenRejectionReason } from "@/lib/edge/errors";
import { createHmac, createPublicKey, webcrypto } from "node:crypto";
import { SignJWT, generateKeyPair, importJWK, exportJWK, type JWTPayload, type JWTHeaderParameters } from "jose";
import { expect } from "vitest";
import { parsePrivateJwks, type PrivateJwk } from "@/lib/edge/jwt/jwks-schema";
import type { AppServer } from "./app-server";
import type { Client } from "./http-client";
import { GATE_LAYER } from "./gate";

export const b64url = (value: string | Uint8Array | object) =>
  Buffer.from(typeof value === "string" || value instanceof Uint8Array ? value : JSON.stringify(value)).toString(
    "base64url",
  );

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(h!, "base64url").toString()),
    payload: JSON.parse(Buffer.from(p!, "base64url").toString()),
  };
}

/** header.payload.signature from parts, with no cryptography at all. */
export function assemble(header: object, payload: object, signature = ""): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}

export function hs256(header: object, payload: object, secret: string | Buffer): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

export function publicPem(jwk: Record<string, unknown>): string {
  return createPublicKey({ key: jwk as never, format: "jwk" })
    .export({ type: "spki", format: "pem" })
    .toString();
}

export function validClaims(overrides: JWTPayload & Record<string, unknown> = {}, now = Math.floor(Date.now() / 1000)) {
  return {
    iss: "urn:authlab",
    aud: "urn:authlab:api",
    sub: "1",
    role: "USER",
    iat: now,
    exp: now + 600,
    jti: "test-jti",
    sid: "test-sid",
    ...overrides,
  };
}

/** Signs with one of our own private keys (the test knows JWT_PRIVATE_JWKS), with any header or claims. */
export async function signWithKey(
  jwk: PrivateJwk,
  claims: Record<string, unknown>,
  header: Partial<JWTHeaderParameters> = {},
): Promise<string> {
  const { retireAt: _r, ...material } = jwk;
  const key = await importJWK(material, jwk.alg);
  return new SignJWT(claims).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: "at+jwt", ...header }).sign(key);
}

/** A key pair that is not ours, for "signed by a stranger" cases. */
export async function strangerKey(alg: "ES256" | "ES384" | "RS256" | "PS256" | "EdDSA" = "ES256") {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

/** Signs any header and payload with one of our ES256 keys directly (jose refuses unknown `crit`). */
export async function signRawEs256(jwk: PrivateJwk, header: object, payload: object): Promise<string> {
  const { retireAt: _r, alg: _a, ...material } = jwk;
  const key = await webcrypto.subtle.importKey(
    "jwk",
    material as webcrypto.JsonWebKey,
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = await webcrypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    new TextEncoder().encode(input),
  );
  return `${input}.${Buffer.from(signature).toString("base64url")}`;
}

/**
 * The Edge's answer to a token it must refuse: 401, invalid_token in body and challenge, decided by
 * the middleware.
 */
export async function expectInvalidToken(
  client: Client,
  token: string,
  expected: { reason?: TokenRejectionReason; path?: string } = {},
) {
  const response = await client.get(expected.path ?? "/api/me", { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, response.text).toBe(401);
  expect(response.body.error).toBe("invalid_token");
  // Every refusal names a stable reason (docs/api.md); the expected one when the test knows it.
  expect(TOKEN_REJECTION_REASONS).toContain(response.body.reason);
  if (expected.reason) expect(response.body.reason).toBe(expected.reason);
  expect(response.headers.get("www-authenticate")).toMatch(
    /^Bearer realm="authlab", error="invalid_token", error_description=".+"$/,
  );
  expect(response.body.layer).toBe(GATE_LAYER);
  return response;
}

/** The server's own ES256 signing key (tests know JWT_PRIVATE_JWKS). */
export function serverSigningKey(server: AppServer): Extract<PrivateJwk, { kty: "EC" }> {
  const parsed = parsePrivateJwks(server.env.JWT_PRIVATE_JWKS!);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.keys[0] as Extract<PrivateJwk, { kty: "EC" }>;
}
