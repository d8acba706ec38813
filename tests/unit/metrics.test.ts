/**
 * The metrics' labels are bounded sets: whatever a caller passes — a user id, an email, a token in a
 * store "detail" — no such value becomes a label. And the audit detail keeps no secret either.
 */
import { describe, expect, it } from "vitest";
import { metrics, label, LABEL_VALUES, outcomeLabel } from "@/lib/server/observability/metrics";
import { countSecurityEvent, metricsObserver } from "@/lib/server/observability/metrics-observer";
import { sanitizeDetail } from "@/lib/server/audit/record";

const HOSTILE = [
  "alice@example.com",
  "42",
  "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl",
  "Fe26.2**abc",
  "constructor",
  "__proto__",
  "",
];

describe("label values", () => {
  it("anything outside a label's set becomes 'other'", () => {
    for (const value of HOSTILE) {
      expect(label(value, LABEL_VALUES.store)).toBe("other");
      expect(label(value, LABEL_VALUES.event)).toBe("other");
      expect(outcomeLabel(value)).toBe("other");
    }
    expect(label("redis", LABEL_VALUES.store)).toBe("redis");
    // Every limit the login throttle names is its own label value (docs/api.md lists them).
    for (const limit of ["account", "address", "address-all"]) expect(label(limit, LABEL_VALUES.throttle)).toBe(limit);
    expect(outcomeLabel("invalid_token")).toBe("invalid_token");
    expect(outcomeLabel("ok")).toBe("ok");
  });

  it("observations fed hostile values expose none of them", async () => {
    const observer = metricsObserver();
    for (const value of HOSTILE) {
      observer.step?.("store", 1, value);
      observer.checked?.("session", 1, { outcome: value, reason: value });
      observer.checked?.("refresh", 1, { outcome: "invalid_grant", reason: value });
      countSecurityEvent("sign_in_throttled", { limit: value });
      countSecurityEvent("refresh_family_revoked", { reason: value });
      countSecurityEvent("token_revoked", { tokenType: value });
    }
    const text = await metrics().registry.metrics();
    for (const value of HOSTILE.filter(Boolean)) {
      const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]);
      expect(labelValues).not.toContain(value);
    }
    expect(text).toContain('authlab_store_lookup_duration_seconds_count{store="other"}');
  });
});

describe("audit detail", () => {
  it("drops fields named like secrets, masks token-like strings, keeps small plain values", () => {
    const detail = sanitizeDetail({
      password: "hunter2",
      refreshToken: "abc",
      cookie: "x",
      note: "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl",
      tokenType: "refresh_token",
      count: 2,
      nested: { a: 1 } as unknown as string,
      long: "word ".repeat(100),
    });
    expect(detail).toEqual({ note: "[jwt]", tokenType: "refresh_token", count: 2, long: "word ".repeat(24) });
  });

  it("keeps a public identifier by its name, whatever its length; a token under another name is still masked", () => {
    const familyId = "a".repeat(64);
    const refreshToken = `${"L".repeat(22)}.${"s".repeat(43)}`;
    const detail = sanitizeDetail({ familyId, by: "b".repeat(43), other: "c".repeat(64), note: refreshToken });
    expect(detail).toMatchObject({ familyId, by: "b".repeat(43), other: "[opaque]" });
    expect(detail.note).not.toContain("s".repeat(43));
    // An identifier's name does not make anything else pass: a refresh token or a JWT under it is masked.
    expect(sanitizeDetail({ familyId: refreshToken }).familyId).not.toContain("s".repeat(43));
    expect(sanitizeDetail({ familyId: "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl" }).familyId).toBe("[jwt]");
  });

  it("keeps at most a few keys", () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(sanitizeDetail(many))).toHaveLength(8);
  });
});
