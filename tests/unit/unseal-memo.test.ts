import { describe, expect, it } from "vitest";
import { sealSessionToken, unsealSessionToken } from "@/lib/server/auth/session/cookie";
import { cachedToken, rememberToken, sealExpiryMs } from "@/lib/server/auth/session/unseal-memo";

const PASSWORDS = { 1: "p".repeat(32) };

describe("unseal memo", () => {
  it("remembers a seal's token until the expiry written in the seal", async () => {
    const token = "abcdefghijklmnopqrstuv";
    const seal = await sealSessionToken(token, PASSWORDS, 60);
    const expiry = sealExpiryMs(seal)!;
    expect(expiry).toBeGreaterThan(Date.now() + 50_000);
    expect(cachedToken(seal)).toBeNull();
    rememberToken(seal, { token: (await unsealSessionToken(seal, PASSWORDS, 60))!, tokenHash: "h", snapshot: null });
    expect(cachedToken(seal)).toEqual({ token, tokenHash: "h", snapshot: null, expiresAtMs: expiry });
    expect(cachedToken(seal, expiry + 1)).toBeNull();
    expect(cachedToken(seal)).toBeNull();
  });

  it("matches only the exact seal: one changed character is a miss", async () => {
    const seal = await sealSessionToken("tokentokentokentoken", PASSWORDS, 60);
    rememberToken(seal, { token: "tokentokentokentoken", tokenHash: "h", snapshot: null });
    expect(cachedToken(`${seal.slice(0, -1)}x`)).toBeNull();
  });

  it("does not remember a value without an iron expiry", () => {
    rememberToken("not-a-seal", { token: "t", tokenHash: "h", snapshot: null });
    expect(cachedToken("not-a-seal")).toBeNull();
  });
});
