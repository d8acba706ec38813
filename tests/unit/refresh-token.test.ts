import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { firstToken, newSuccessorSalt, parseRefreshToken, successorOf } from "@/lib/server/auth/refresh/token";
import { isRefreshTokenFormat } from "@/lib/server/auth/random";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("refresh tokens", () => {
  it("are a family locator and a secret; the family id is the locator's hash", () => {
    const { token, familyId } = firstToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(familyId).toBe(sha256(token.split(".")[0]!));
    expect(parseRefreshToken(token)).toEqual({ token, hash: sha256(token), familyId });
    expect(isRefreshTokenFormat(token)).toBe(true);
    expect(firstToken().familyId).not.toBe(familyId);
  });

  it("a successor keeps the locator and follows from its parent and salt alone", () => {
    const { token: parent } = firstToken();
    const salt = newSuccessorSalt();
    const next = successorOf(parent, salt);
    expect(next.split(".")[0]).toBe(parent.split(".")[0]);
    expect(next).not.toBe(parent);
    expect(successorOf(parent, salt)).toBe(next);
    expect(successorOf(parent, newSuccessorSalt())).not.toBe(next);
    expect(successorOf(firstToken().token, salt).split(".")[1]).not.toBe(next.split(".")[1]);
    expect(parseRefreshToken(next)?.familyId).toBe(parseRefreshToken(parent)?.familyId);
  });

  it("a family started before locators keeps its bare form and is found by hash", () => {
    const legacy = "A".repeat(43);
    expect(parseRefreshToken(legacy)).toEqual({ token: legacy, hash: sha256(legacy), familyId: null });
    expect(successorOf(legacy, newSuccessorSalt())).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("anything else is not a refresh token", () => {
    for (const value of [
      "",
      "x",
      `${"A".repeat(22)}.${"A".repeat(42)}`,
      `${"A".repeat(22)}:${"A".repeat(43)}`,
      "A".repeat(44),
    ]) {
      expect(parseRefreshToken(value)).toBeNull();
      expect(isRefreshTokenFormat(value)).toBe(false);
    }
  });
});
