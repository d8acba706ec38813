/**
 * openIronSeal (Node's crypto behind iron-webcrypto) against iron-session's own unsealData (WebCrypto):
 * the same answer for every seal iron-session makes, and a refusal for everything it refuses.
 */
import { randomBytes } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { describe, expect, it, vi } from "vitest";
import { nodeCryptoForIron, openIronSeal } from "@/lib/server/auth/session/iron-unseal";

const A = { 1: "a".repeat(32) };
const AB = { 1: "a".repeat(32), 2: "b".repeat(40) };

/** What iron-session's unsealData makes of a seal: its data, or {} for a refused one. */
const reference = (seal: string, password: Record<string, string>) => unsealData(seal, { password, ttl: 3600 });

describe("openIronSeal", () => {
  it("opens what iron-session seals, exactly as iron-session's unsealData does", async () => {
    for (let i = 0; i < 50; i++) {
      const passwords = i % 2 ? AB : { 7: randomBytes(24).toString("base64") };
      const data = { v: 1, t: randomBytes(16).toString("base64url"), n: i, text: "ünïcødé ✓".repeat(i % 5) };
      const seal = await sealData(data, { password: passwords, ttl: 3600 });
      expect(await openIronSeal(seal, passwords)).toEqual(data);
      expect(await reference(seal, passwords)).toEqual(data);
    }
  });

  it("refuses every tampered part of a seal, as iron-session does", async () => {
    const seal = await sealData({ v: 1, t: "abcdefghijklmnopqrstuv" }, { password: A, ttl: 3600 });
    const [body] = seal.split("~");
    const parts = body!.split("*");
    // Parts 2–4 and 6–7: salts, IV, ciphertext and MAC (1 is the password id, 5 the expiry).
    for (const index of [2, 3, 4, 6, 7]) {
      const changed = [...parts];
      const value = changed[index]!;
      changed[index] = (value[0] === "A" ? "B" : "A") + value.slice(1);
      const tampered = `${changed.join("*")}~2`;
      await expect(openIronSeal(tampered, A), `part ${index}`).rejects.toThrow();
      expect(await reference(tampered, A), `part ${index}`).toEqual({});
    }
  });

  it("refuses a lengthened expiry, a wrong or missing password and other format versions", async () => {
    const seal = await sealData({ v: 1 }, { password: A, ttl: 3600 });
    const parts = seal.split("~")[0]!.split("*");
    parts[5] = String(Number(parts[5]) + 86_400_000);
    await expect(openIronSeal(`${parts.join("*")}~2`, A)).rejects.toThrow(/hmac/i);
    await expect(openIronSeal(seal, { 1: "c".repeat(32) })).rejects.toThrow(/hmac/i);
    await expect(openIronSeal(seal, { 2: AB[2] })).rejects.toThrow(/password/i);
    await expect(openIronSeal(seal.replace(/~2$/, ""), A)).rejects.toThrow(/v2 seal/);
    await expect(openIronSeal(seal.replace(/~2$/, "~1"), A)).rejects.toThrow(/v2 seal/);
    await expect(openIronSeal(`${seal}~2`, A)).rejects.toThrow(/v2 seal/);
  });

  it("refuses an expired seal", async () => {
    const seal = await sealData({ v: 1 }, { password: A, ttl: 60 });
    // iron allows 60 s of clock skew past the expiry; two hours on is well beyond it.
    vi.useFakeTimers({ now: Date.now() + 2 * 3600_000, toFake: ["Date"] });
    try {
      await expect(openIronSeal(seal, A)).rejects.toThrow(/expired/i);
      expect(await reference(seal, A)).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });

  it("fails closed when asked for anything but the four operations iron's unseal needs", async () => {
    const { subtle } = nodeCryptoForIron;
    const key = new Uint8Array(32);
    const pbkdf2 = await subtle.importKey("raw", key, { name: "PBKDF2" }, false, ["deriveBits"]);
    const aes = await subtle.importKey("raw", key, { name: "AES-CBC" }, false, ["decrypt"]);
    const refusals: [string, () => Promise<unknown>][] = [
      ["a JWK key", () => subtle.importKey("jwk" as "raw", key, { name: "AES-CBC" }, false, [])],
      ["AES-CTR", () => subtle.importKey("raw", key, { name: "AES-CTR" }, false, [])],
      ["AES-128", () => subtle.importKey("raw", key.subarray(16), { name: "AES-CBC" }, false, [])],
      ["HMAC-SHA-1", () => subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-1" }, false, [])],
      [
        "PBKDF2 with SHA-256",
        () => subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: key, iterations: 1 }, pbkdf2, 256),
      ],
      [
        "zero iterations",
        () => subtle.deriveBits({ name: "PBKDF2", hash: "SHA-1", salt: key, iterations: 0 }, pbkdf2, 256),
      ],
      ["a key used for another purpose", () => subtle.sign({ name: "HMAC" }, aes, key)],
      ["AES-GCM", () => subtle.decrypt({ name: "AES-GCM", iv: key } as AesGcmParams, aes, key)],
      ["encryption", async () => subtle.encrypt({ name: "AES-CBC", iv: key }, aes, key)],
      ["randomness", async () => nodeCryptoForIron.getRandomValues(new Uint8Array(4))],
    ];
    for (const [what, attempt] of refusals) await expect(attempt(), what).rejects.toThrow(/unsupported/);
  });
});
