/**
 * Signing and verification with frozen time (jose's currentDate): every claim failure, wrong keys,
 * and rotation, without a server or a clock.
 */
import { describe, expect, it } from "vitest";
import { SignJWT, importJWK } from "jose";
import { config } from "@/lib/config";
import { issueAccessToken } from "@/lib/auth/jwt/sign";
import { buildKeyRing } from "@/lib/auth/jwt/keys";
import { CLOCK_TOLERANCE_SECONDS, verifyAccessToken } from "@/lib/auth/jwt/verify";
import { generateSigningKey } from "@/lib/auth/jwt/generate-key";
import type { PrivateJwk } from "@/lib/auth/jwt/jwks-schema";

const T0 = new Date("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const options = (currentDate: Date) => ({ issuer: "urn:authlab", audience: "urn:authlab:api", currentDate });
const subject = { userId: 42, role: "USER" as const, sessionId: "sid-1" };

async function sign(key: PrivateJwk, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const { retireAt: _r, ...material } = key;
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header }).sign(await importJWK(material, key.alg));
}

const iat = Math.floor(T0.getTime() / 1000);
const good = { iss: "urn:authlab", aud: "urn:authlab:api", sub: "42", role: "USER", iat, exp: iat + 900, jti: "j", sid: "s" };

describe("issueAccessToken + verifyAccessToken", () => {
  it("round-trips and verifies until exp (+ tolerance), then fails as expired", async () => {
    const ring = await buildKeyRing(config().jwtPrivateKeys);
    const { token, expiresIn } = await issueAccessToken(subject, { now: T0 });
    expect(expiresIn).toBe(900);
    const ok = await verifyAccessToken(token, ring, options(at(899)));
    expect(ok).toMatchObject({ ok: true, claims: { sub: "42", role: "USER", sid: "sid-1" }, kid: "unit-key" });
    expect((await verifyAccessToken(token, ring, options(at(900 + CLOCK_TOLERANCE_SECONDS - 1)))).ok).toBe(true);
    expect(await verifyAccessToken(token, ring, options(at(900 + CLOCK_TOLERANCE_SECONDS + 1)))).toEqual({ ok: false, description: "the access token has expired" });
  });

  it("caps the lifetime at the configured maximum", async () => {
    const { expiresIn } = await issueAccessToken(subject, { now: T0, ttlSeconds: 3600 });
    expect(expiresIn).toBe(900);
  });

  it("refuses a token issued in the future and one not valid yet", async () => {
    const ring = await buildKeyRing(config().jwtPrivateKeys);
    const key = config().jwtPrivateKeys[0]!;
    expect((await verifyAccessToken(await sign(key, { ...good, iat: iat + 600, exp: iat + 900 }), ring, options(T0))).ok).toBe(false);
    expect((await verifyAccessToken(await sign(key, { ...good, nbf: iat + 60 }), ring, options(T0))).ok).toBe(false);
  });

  it.each([
    ["iss", { iss: "other" }],
    ["aud", { aud: "other" }],
    ["sub", { sub: "not-a-number" }],
    ["role", { role: "ROOT" }],
    ["jti", { jti: undefined }],
    ["sid", { sid: undefined }],
    ["exp", { exp: undefined }],
    ["iat", { iat: undefined }],
  ])("refuses a bad or missing %s", async (_claim, change) => {
    const ring = await buildKeyRing(config().jwtPrivateKeys);
    const token = await sign(config().jwtPrivateKeys[0]!, { ...good, ...change });
    expect((await verifyAccessToken(token, ring, options(at(1)))).ok).toBe(false);
  });

  it("refuses a token signed by a key that is not in the ring, even with a known kid", async () => {
    const ring = await buildKeyRing(config().jwtPrivateKeys);
    const stranger = { ...(await generateSigningKey(false)), kid: "unit-key" };
    const result = await verifyAccessToken(await sign(stranger, good), ring, options(at(1)));
    expect(result).toEqual({ ok: false, description: "the token's signature does not verify" });
  });

  it("rotation: tokens of every key in the ring verify; a key removed from the ring leaves its tokens invalid", async () => {
    const oldKey = config().jwtPrivateKeys[0]!;
    const newKey = await generateSigningKey(false);
    const both = await buildKeyRing([oldKey, newKey]);
    const onlyNew = await buildKeyRing([newKey]);
    const { token: newToken } = await issueAccessToken(subject, { now: T0, keys: [oldKey, newKey] });
    const oldToken = await sign(oldKey, good);
    expect((await verifyAccessToken(newToken, both, options(at(1)))).ok).toBe(true);
    expect((await verifyAccessToken(oldToken, both, options(at(1)))).ok).toBe(true);
    expect(both.signingKid).toBe(newKey.kid);
    expect(await verifyAccessToken(oldToken, onlyNew, options(at(1)))).toEqual({ ok: false, description: "the token was not signed by a current key" });
  });

  it("refuses jwk/jku/x5u/x5c headers even on an otherwise valid token", async () => {
    const ring = await buildKeyRing(config().jwtPrivateKeys);
    const key = config().jwtPrivateKeys[0]!;
    for (const header of [{ jku: "https://evil/jwks" }, { x5u: "https://evil/cert" }, { x5c: ["AAAA"] }]) {
      const result = await verifyAccessToken(await sign(key, good, header), ring, options(at(1)));
      expect(result.ok).toBe(false);
    }
  });
});
