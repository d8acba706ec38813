import { describe, expect, it } from "vitest";
import { parseOptions } from "@node-rs/argon2";
import {
  defaultHashConcurrency,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from "@/lib/server/auth/password";

describe("password hashing", () => {
  it("uses argon2id at OWASP's minimum or stronger (m=19 MiB, t=2, p=1)", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    const options = parseOptions(hash);
    expect(options.memoryCost).toBeGreaterThanOrEqual(19 * 1024);
    expect(options.timeCost).toBeGreaterThanOrEqual(2);
    expect(options.parallelism).toBeGreaterThanOrEqual(1);
  });

  it("salts: the same password hashes differently each time, and both verify", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "same password")).toBe(true);
    expect(await verifyPassword(b, "same password")).toBe(true);
  });

  it("rejects a wrong password, and a password differing only after 72 bytes (no bcrypt-style truncation)", async () => {
    const long = "x".repeat(100);
    const hash = await hashPassword(long);
    expect(await verifyPassword(hash, "y".repeat(100))).toBe(false);
    expect(await verifyPassword(hash, `${"x".repeat(99)}z`)).toBe(false);
  });

  it("normalises Unicode so a composed and a decomposed é are the same password", async () => {
    const composed = "caf\u00e9-password";
    const decomposed = "cafe\u0301-password";
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  it("reads a malformed stored hash as 'does not match' instead of throwing", async () => {
    expect(await verifyPassword("not a hash", "whatever")).toBe(false);
  });

  it("hashes off the event loop: timers keep firing while a hash runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await Promise.all([hashPassword("a"), hashPassword("b")]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  it("the dummy verification for unknown accounts is always false", async () => {
    expect(await verifyAgainstDummy("authlab-dummy-password-for-timing")).toBe(false);
  });

  it("flags hashes made with weaker parameters for rehashing", async () => {
    expect(needsRehash(await hashPassword("x"))).toBe(false);
    expect(needsRehash("$argon2id$v=19$m=4096,t=1,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG")).toBe(true);
    expect(needsRehash("garbage")).toBe(true);
  });
});

describe("how many hashes run at once by default", () => {
  it("leaves one core for the event loop, and never none", () => {
    expect(defaultHashConcurrency(1)).toBe(1);
    expect(defaultHashConcurrency(2)).toBe(1);
    expect(defaultHashConcurrency(8)).toBe(7);
  });
});
