/**
 * Signing and verification with frozen time (jose's currentDate): every claim failure, wrong keys,
 * and rotation, without a server or a clock.
 */
import { describe, expect, it } from "vitest";
import { SignJWT, importJWK } from "jose";
import { config } from "@/lib/edge/config";
import { issueAccessToken } from "@/lib/server/auth/jwt/sign";
import { buildKeyRing } from "@/lib/edge/jwt/keys";
import { CLOCK_TOLERANCE_SECONDS, verifyAccessToken } from "@/lib/edge/jwt/verify";
import { generateSigningKey } from "@/lib/edge/jwt/generate-key";
import type { PrivateJwk } from "@/lib/edge/jwt/jwks-schema";

const T0 = new Date("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const options = (currentDate: Date) => ({ issuer: "urn:authlab", audience: "urn:authlab:api", currentDate });
const subject = { userId: 42, role: "USER" as const, sessionId: "sid-1" };

async function sign(key: PrivateJwk, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const { retireAt: _r, ...material } = key;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header })
    .sign(await importJWK(material, key.alg));
}

const iat = Math.floor(T0.getTime() / 1000);
const good = {
  iss: "urn:authlab",
  aud: "urn:authlab:api",
  sub: "42",
  role: "USER",
  iat,
  exp: iat + 900,
  jti: "j",
  sid: "s",
};

describe("issueAccessToken + verifyAccessToken", () => {
  it("round-trips and verifies until exp (+ tolerance), then fails as expired", async () => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const { token, expiresIn } = await issueAccessToken(subject, { now: T0 });
    expect(expiresIn).toBe(900);
    const ok = await verifyAccessToken(token, ring, options(at(899)));
    expect(ok).toMatchObject({ ok: true, claims: { sub: "42", role: "USER", sid: "sid-1" }, kid: "unit-key" });
    expect((await verifyAccessToken(token, ring, options(at(900 + CLOCK_TOLERANCE_SECONDS - 1)))).ok).toBe(true);
    expect(await verifyAccessToken(token, ring, options(at(900 + CLOCK_TOLERANCE_SECONDS + 1)))).toMatchObject({
      ok: false,
      reason: "expired",
    });
  });

  it("caps the lifetime at the configured maximum", async () => {
    const { expiresIn } = await issueAccessToken(subject, { now: T0, ttlSeconds: 3600 });
    expect(expiresIn).toBe(900);
  });

  it("refuses a token issued in the future and one not valid yet", async () => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const key = config().jwt.privateKeys[0]!;
    expect(
      await verifyAccessToken(await sign(key, { ...good, iat: iat + 600, exp: iat + 900 }), ring, options(T0)),
    ).toMatchObject({ ok: false, reason: "not_yet_valid" });
    expect(await verifyAccessToken(await sign(key, { ...good, nbf: iat + 60 }), ring, options(T0))).toMatchObject({
      ok: false,
      reason: "not_yet_valid",
    });
  });

  it.each([
    ["iss", { iss: "other" }, "wrong_issuer"],
    ["aud", { aud: "other" }, "wrong_audience"],
    ["sub", { sub: "not-a-number" }, "claim_invalid"],
    ["role", { role: "ROOT" }, "claim_invalid"],
    ["jti", { jti: undefined }, "claim_invalid"],
    ["sid", { sid: undefined }, "claim_invalid"],
    ["exp", { exp: undefined }, "claim_invalid"],
    ["iat", { iat: undefined }, "claim_invalid"],
  ])("refuses a bad or missing %s", async (_claim, change, reason) => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const token = await sign(config().jwt.privateKeys[0]!, { ...good, ...change });
    expect(await verifyAccessToken(token, ring, options(at(1)))).toMatchObject({ ok: false, reason });
  });

  it("refuses a non-canonical spelling of a valid signature (one token, one string)", async () => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const { token } = await issueAccessToken(subject, { now: T0 });
    expect((await verifyAccessToken(token, ring, options(at(1)))).ok).toBe(true);
    // The last base64url character of a 64-byte signature carries 4 unused bits; set one of them.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = token.at(-1)!;
    const twin = token.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1];
    expect(await verifyAccessToken(twin, ring, options(at(1)))).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("refuses a token signed by a key that is not in the ring, even with a known kid", async () => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const stranger = { ...(await generateSigningKey(false)), kid: "unit-key" };
    const result = await verifyAccessToken(await sign(stranger, good), ring, options(at(1)));
    expect(result).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("rotation: tokens of every key in the ring verify; a key removed from the ring leaves its tokens invalid", async () => {
    const oldKey = config().jwt.privateKeys[0]!;
    const newKey = await generateSigningKey(false);
    const both = await buildKeyRing([oldKey, newKey]);
    const onlyNew = await buildKeyRing([newKey]);
    const { token: newToken } = await issueAccessToken(subject, { now: T0, keys: [oldKey, newKey] });
    const oldToken = await sign(oldKey, good);
    expect((await verifyAccessToken(newToken, both, options(at(1)))).ok).toBe(true);
    expect((await verifyAccessToken(oldToken, both, options(at(1)))).ok).toBe(true);
    expect(both.signingKid).toBe(newKey.kid);
    expect(await verifyAccessToken(oldToken, onlyNew, options(at(1)))).toMatchObject({
      ok: false,
      reason: "unknown_key",
    });
  });

  it("refuses jwk/jku/x5u/x5c headers even on an otherwise valid token", async () => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const key = config().jwt.privateKeys[0]!;
    for (const header of [{ jku: "https://evil/jwks" }, { x5u: "https://evil/cert" }, { x5c: ["AAAA"] }]) {
      const result = await verifyAccessToken(await sign(key, good, header), ring, options(at(1)));
      expect(result).toMatchObject({ ok: false, reason: "unknown_key" });
    }
  });
});
