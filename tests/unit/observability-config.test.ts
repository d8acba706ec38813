/**
 * The observability variables (docs/configuration.md): defaults, and a clear message naming the variable —
 * never echoing the metrics token — when one is wrong.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@/lib/edge/config";
import { isLoopbackAddress } from "@/lib/server/http/loopback";
import { sameSecret } from "@/lib/server/observability/scrape-access";
import { readAuthorization } from "@/lib/edge/jwt/authenticate";

const base = { SESSION_PASSWORD: process.env.SESSION_PASSWORD!, JWT_PRIVATE_JWKS: process.env.JWT_PRIVATE_JWKS! };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("observability configuration", () => {
  it("defaults: 90 days of audit trail, no metrics token (loopback only), no tracing", () => {
    expect(loadConfig(base)).toMatchObject({
      audit: { retentionDays: 90 },
      metrics: { token: null },
      tracing: { endpoint: null, serviceName: "authlab" },
    });
  });

  it("names the variable that is wrong, without echoing a token", () => {
    const shortToken = "too-short-token";
    const problems = problemsOf({
      AUDIT_RETENTION_DAYS: "0",
      METRICS_TOKEN: shortToken,
      OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://collector:21",
    });
    expect(problems.some((p) => p.startsWith("AUDIT_RETENTION_DAYS"))).toBe(true);
    expect(problems.some((p) => p.startsWith("METRICS_TOKEN"))).toBe(true);
    expect(problems.some((p) => p.startsWith("OTEL_EXPORTER_OTLP_ENDPOINT"))).toBe(true);
    expect(problems.join("\n")).not.toContain(shortToken);
    expect(problemsOf({ METRICS_TOKEN: `${"x".repeat(30)} y` })[0]).toMatch(/^METRICS_TOKEN/);
  });

  it("a metrics token is what a Bearer credential can carry (RFC 6750 §2.1 b64token, RFC 7235 token68)", () => {
    // Printable, yet no scraper could send it as `Authorization: Bearer <token>`: refused when configured,
    // rather than accepted here and never matched.
    for (const token of [
      `${"x".repeat(30)}!`,
      `${"x".repeat(30)}"`,
      `${"x".repeat(15)}=${"x".repeat(15)}`,
      `${"x".repeat(30)},`,
    ]) {
      expect(problemsOf({ METRICS_TOKEN: token })[0], token).toMatch(/^METRICS_TOKEN/);
    }
    for (const token of [`${"a".repeat(30)}==`, `A-b.c_d~e+f/${"0".repeat(20)}`]) {
      expect(loadConfig({ ...base, METRICS_TOKEN: token }).metrics.token).toBe(token);
      expect(readAuthorization(`Bearer ${token}`)).toEqual({ kind: "token", scheme: "Bearer", token });
    }
  });

  it("accepts a long token and an http(s) collector", () => {
    const config = loadConfig({
      ...base,
      METRICS_TOKEN: "a".repeat(40),
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
      AUDIT_RETENTION_DAYS: "365",
    });
    expect(config).toMatchObject({ audit: { retentionDays: 365 }, tracing: { endpoint: "http://127.0.0.1:4318" } });
  });
});

describe("scrape access helpers", () => {
  it("loopback is 127.0.0.0/8 and ::1 only", () => {
    for (const ip of ["127.0.0.1", "127.8.9.10", "::1"]) expect(isLoopbackAddress(ip)).toBe(true);
    for (const ip of [null, "", "10.0.0.1", "::ffff:127.0.0.1", "1270.0.0.1", "203.0.113.7", "localhost"])
      expect(isLoopbackAddress(ip)).toBe(false);
  });

  it("compares the token as a secret: equal only when identical, whatever the lengths", () => {
    expect(sameSecret("a".repeat(40), "a".repeat(40))).toBe(true);
    expect(sameSecret("a".repeat(39), "a".repeat(40))).toBe(false);
    expect(sameSecret("", "a".repeat(40))).toBe(false);
  });
});
