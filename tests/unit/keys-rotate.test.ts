import { describe, expect, it } from "vitest";
import { rotate } from "@/scripts/keys-rotate";
import { generateSigningKey } from "@/lib/edge/jwt/generate-key";
import { signingKeyOf } from "@/lib/edge/jwt/jwks-schema";

describe("keys:rotate", () => {
  it("appends a key that signs, keeps the previous one until its tokens expire, then removes it", async () => {
    const t0 = new Date("2026-03-01T00:00:00Z");
    const original = await generateSigningKey(false, t0);
    const options = { accessTokenTtlSeconds: 900, development: false, prune: true };
    const first = await rotate([original], t0, options);
    expect(first.keys.map((k) => k.kid)).toEqual([original.kid, first.added.kid]);
    expect(signingKeyOf(first.keys).kid).toBe(first.added.kid);
    const retireAt = first.keys[0]!.retireAt!;
    expect(retireAt).toBeGreaterThanOrEqual(t0.getTime() / 1000 + 900);

    const tooSoon = await rotate(first.keys, new Date((retireAt - 1) * 1000), options);
    expect(tooSoon.removed).toEqual([]);
    expect(tooSoon.keys.map((k) => k.kid)).toContain(original.kid);

    const later = await rotate(first.keys, new Date((retireAt + 1) * 1000), options);
    expect(later.removed.map((k) => k.kid)).toEqual([original.kid]);
    expect(later.keys.map((k) => k.kid)).toEqual([first.added.kid, later.added.kid]);
  });

  it("keeps a retired key unless pruning is asked for, and names it", async () => {
    const t0 = new Date("2026-03-01T00:00:00Z");
    const original = await generateSigningKey(false, t0);
    const first = await rotate([original], t0, { accessTokenTtlSeconds: 900, development: false, prune: false });
    const later = new Date((first.retiring.retireAt! + 1) * 1000);
    const kept = await rotate(first.keys, later, { accessTokenTtlSeconds: 900, development: false, prune: false });
    expect(kept.removed).toEqual([]);
    expect(kept.prunable.map((k) => k.kid)).toEqual([original.kid]);
    expect(kept.keys.map((k) => k.kid)).toContain(original.kid);
  });

  it("marks development keys as such, so production refuses them", async () => {
    const dev = await rotate([await generateSigningKey(true)], new Date(), {
      accessTokenTtlSeconds: 900,
      development: true,
      prune: false,
    });
    expect(dev.added.kid.startsWith("dev_")).toBe(true);
  });
});
