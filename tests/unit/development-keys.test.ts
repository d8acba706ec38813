import { describe, expect, it } from "vitest";
import { developmentSigningKeys } from "@/scripts/lib/prepare";
import { signingKeyOf } from "@/lib/edge/jwt/jwks-schema";
import { DEV_SECRET_MARKER } from "@/lib/edge/config";

describe("development signing keys", () => {
  it("start with a previous key that still verifies and a current key that signs", async () => {
    const now = new Date("2026-03-01T00:00:00Z");
    const keys = await developmentSigningKeys(now);
    expect(keys).toHaveLength(2);
    const [previous, current] = keys;
    expect(signingKeyOf(keys).kid).toBe(current!.kid);
    expect(previous!.kid).not.toBe(current!.kid);
    // Marked the way keys:rotate marks a retiring key: not before every token it signed has expired.
    expect(previous!.retireAt).toBeGreaterThanOrEqual(now.getTime() / 1000 + 15 * 60);
    for (const key of keys) expect(key.kid.startsWith(DEV_SECRET_MARKER)).toBe(true);
  });
});
