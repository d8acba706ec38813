import { describe, expect, it } from "vitest";
import { config } from "@/lib/edge/config";
import { buildKeyRing } from "@/lib/edge/jwt/keys";
import { issueAccessToken } from "@/lib/server/auth/jwt/sign";
import { CLOCK_TOLERANCE_SECONDS, verifyAccessToken } from "@/lib/edge/jwt/verify";

const T0 = new Date("2026-05-01T00:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe("verification cache", () => {
  it("reuses a successful verification, and still refuses the token once it expires", async () => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const { token } = await issueAccessToken({ userId: 7, role: "USER", sessionId: "s" }, { now: T0, ttlSeconds: 60 });
    const options = (when: Date) => ({
      issuer: "urn:authlab",
      audience: "urn:authlab:api",
      currentDate: when,
      useCache: true,
    });
    expect(await verifyAccessToken(token, ring, options(at(1)))).toMatchObject({ ok: true, cached: false });
    expect(await verifyAccessToken(token, ring, options(at(2)))).toMatchObject({ ok: true, cached: true });
    expect(await verifyAccessToken(token, ring, options(at(60 + CLOCK_TOLERANCE_SECONDS + 1)))).toMatchObject({
      ok: false,
      reason: "expired",
    });
  });

  it("never remembers a failure: a forged token is checked in full every time", async () => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const { token } = await issueAccessToken({ userId: 8, role: "USER", sessionId: "s" }, { now: T0 });
    const forged = `${token.slice(0, -4)}AAAA`;
    const options = { issuer: "urn:authlab", audience: "urn:authlab:api", currentDate: at(1), useCache: true };
    for (let i = 0; i < 2; i++) expect((await verifyAccessToken(forged, ring, options)).ok).toBe(false);
  });

  it("belongs to the key ring that verified: a ring without the token's key does not trust the cached result", async () => {
    const { generateSigningKey } = await import("@/lib/edge/jwt/generate-key");
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const { token } = await issueAccessToken({ userId: 9, role: "USER", sessionId: "s" }, { now: T0 });
    const options = { issuer: "urn:authlab", audience: "urn:authlab:api", currentDate: at(1), useCache: true };
    expect((await verifyAccessToken(token, ring, options)).ok).toBe(true);
    const rotatedAway = await buildKeyRing([await generateSigningKey(false)]);
    expect(await verifyAccessToken(token, rotatedAway, options)).toMatchObject({ ok: false, reason: "unknown_key" });
  });
});

describe("verification cache keyed on jti", () => {
  const P256_ORDER = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  const twinOf = (token: string) => {
    const [h, p, s] = token.split(".");
    const raw = Buffer.from(s!, "base64url");
    const high = (P256_ORDER - BigInt(`0x${raw.subarray(32).toString("hex")}`)).toString(16).padStart(64, "0");
    return `${h}.${p}.${Buffer.concat([raw.subarray(0, 32), Buffer.from(high, "hex")]).toString("base64url")}`;
  };

  it("answers only for the exact string it verified: the high-s twin is verified in full, every time", async () => {
    const ring = await buildKeyRing(config().jwt.privateKeys);
    const { token } = await issueAccessToken({ userId: 10, role: "USER", sessionId: "s" }, { now: T0 });
    const options = { issuer: "urn:authlab", audience: "urn:authlab:api", currentDate: at(1), useCache: true };
    const twin = twinOf(token);
    expect(await verifyAccessToken(token, ring, options)).toMatchObject({ ok: true, cached: false });
    for (let i = 0; i < 2; i++)
      expect(await verifyAccessToken(twin, ring, options)).toMatchObject({ ok: true, cached: false });
    expect(await verifyAccessToken(token, ring, options)).toMatchObject({ ok: true, cached: true });
  });
});
