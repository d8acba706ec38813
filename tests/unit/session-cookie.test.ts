import { describe, expect, it } from "vitest";
import {
  newestPasswordId,
  sealPasswordId,
  sealSessionToken,
  unsealSessionToken,
} from "@/lib/server/auth/session/cookie";

const A = { 1: "a".repeat(32) };
const AB = { 1: "a".repeat(32), 2: "b".repeat(32) };
const TOKEN = "abcdefghijklmnopqrstuv";

describe("session cookie seal", () => {
  it("round-trips the token and hides it", async () => {
    const seal = await sealSessionToken(TOKEN, A, 3600);
    expect(seal).not.toContain(TOKEN);
    expect(await unsealSessionToken(seal, A, 3600)).toBe(TOKEN);
  });

  it("seals with the newest password and opens with any listed one", async () => {
    const old = await sealSessionToken(TOKEN, A, 3600);
    const fresh = await sealSessionToken(TOKEN, AB, 3600);
    expect(sealPasswordId(old)).toBe("1");
    expect(sealPasswordId(fresh)).toBe(newestPasswordId(AB));
    expect(await unsealSessionToken(old, AB, 3600)).toBe(TOKEN);
    expect(await unsealSessionToken(fresh, { 2: AB[2] }, 3600)).toBe(TOKEN);
    expect(await unsealSessionToken(old, { 2: AB[2] }, 3600)).toBeNull();
  });

  it("returns null for tampered, truncated, foreign and junk seals, never throwing", async () => {
    const seal = await sealSessionToken(TOKEN, A, 3600);
    const flipped = seal.slice(0, 60) + (seal[60] === "x" ? "y" : "x") + seal.slice(61);
    for (const bad of [
      flipped,
      seal.slice(0, -10),
      seal.replace("*1*", "*9*"),
      "Fe26.2**",
      "Fe26.2*1*a*b*c*d*e*f*g~2",
      "",
      "x".repeat(5000),
    ]) {
      expect(await unsealSessionToken(bad, A, 3600)).toBeNull();
    }
    expect(await unsealSessionToken(seal, { 1: "c".repeat(32) }, 3600)).toBeNull();
  });

  it("refuses a seal whose payload is not ours", async () => {
    const { sealData } = await import("iron-session");
    const foreign = await sealData({ userId: 1, admin: true }, { password: A, ttl: 3600 });
    expect(await unsealSessionToken(foreign, A, 3600)).toBeNull();
  });
});
