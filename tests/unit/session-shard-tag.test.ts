import { describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/server/auth/random";
import { sessionTokenHash, splitTaggedHash, taggedSessionToken } from "@/lib/server/auth/session/shard-tag";
import { flatLayout, hashTaggedLayout } from "@/lib/server/auth/session/redis-keys";
import { sealSessionToken, unsealSessionToken } from "@/lib/server/auth/session/cookie";

const RANDOM = "AbCdEfGhIjKlMnOpQrSt_-";

describe("session tokens on a Redis Cluster", () => {
  it("an untagged token's store key is its bare SHA-256, as before", () => {
    expect(sessionTokenHash(RANDOM)).toBe(sha256Hex(RANDOM));
    expect(splitTaggedHash(sessionTokenHash(RANDOM))).toBeNull();
  });

  it("a tagged token's store key keeps the owner's id in front of the digest of the whole token", () => {
    const token = taggedSessionToken(42, RANDOM);
    expect(token).toBe(`42.${RANDOM}`);
    const hash = sessionTokenHash(token);
    expect(hash).toBe(`42.${sha256Hex(token)}`);
    expect(splitTaggedHash(hash)).toEqual({ tag: "42", digest: sha256Hex(token) });
  });

  it("the sealed cookie carries a tagged token and an untagged one alike", async () => {
    const passwords = { "1": "p".repeat(32) };
    for (const token of [RANDOM, taggedSessionToken(7, RANDOM)]) {
      expect(await unsealSessionToken(await sealSessionToken(token, passwords, 60), passwords)).toBe(token);
    }
    expect(await unsealSessionToken(await sealSessionToken("x.{1}", passwords, 60), passwords)).toBeNull();
  });
});

describe("Redis session key layouts", () => {
  it("one server: the keys the store has always written", () => {
    const keys = flatLayout("authlab:");
    const hash = sessionTokenHash(RANDOM);
    expect(keys.record(hash)).toBe(`authlab:s:${hash}`);
    expect(keys.index(5)).toBe("authlab:u:5");
    expect(keys.userOfIndex("authlab:u:5")).toBe(5);
    expect(keys.userOfIndex("authlab:u:x")).toBeNull();
  });

  it("a cluster: the owner's id is the hash tag of the index and of every record", () => {
    const keys = hashTaggedLayout("authlab:");
    const hash = sessionTokenHash(taggedSessionToken(5, RANDOM));
    const digest = splitTaggedHash(hash)!.digest;
    expect(keys.record(hash)).toBe(`authlab:{5}:s:${digest}`);
    expect(keys.index(5)).toBe("authlab:{5}:u");
    expect(keys.userOfIndex("authlab:{5}:u")).toBe(5);
    expect(keys.accepts(hash, 5)).toBe(true);
    expect(keys.accepts(hash, 6)).toBe(false);
    // An untagged token cannot be placed with its owner, so it names no record.
    expect(keys.record(sessionTokenHash(RANDOM))).toBeNull();
    expect(() => hashTaggedLayout("a{b}:")).toThrow();
  });
});
