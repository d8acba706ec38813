import { describe, expect, it } from "vitest";
import { checkSameOrigin } from "@/lib/edge/http/csrf";
import { clientIp, isSecure, ownOrigin } from "@/lib/edge/http/request-context";
import { safeNextPath } from "@/lib/server/http/safe-redirect";

const h = (init: Record<string, string>) => new Headers(init);

describe("CSRF origin check", () => {
  it("accepts the app's own origin and refuses any other", () => {
    expect(
      checkSameOrigin(h({ host: "localhost:3000", "x-forwarded-proto": "http", origin: "http://localhost:3000" })).ok,
    ).toBe(true);
    expect(checkSameOrigin(h({ host: "localhost:3000", origin: "http://localhost:3001" })).ok).toBe(false);
    expect(checkSameOrigin(h({ host: "localhost:3000", origin: "https://localhost:3000" })).ok).toBe(false);
    expect(checkSameOrigin(h({ host: "localhost:3000", origin: "null" })).ok).toBe(false);
  });

  it("falls back to Sec-Fetch-Site when there is no Origin", () => {
    expect(checkSameOrigin(h({ host: "a", "sec-fetch-site": "same-origin" })).ok).toBe(true);
    expect(checkSameOrigin(h({ host: "a", "sec-fetch-site": "none" })).ok).toBe(true);
    expect(checkSameOrigin(h({ host: "a", "sec-fetch-site": "same-site" })).ok).toBe(false);
    expect(checkSameOrigin(h({ host: "a", "sec-fetch-site": "cross-site" })).ok).toBe(false);
  });

  it("lets through a request with neither header (not a browser, so it cannot carry a victim's cookies)", () => {
    expect(checkSameOrigin(h({ host: "a" })).ok).toBe(true);
  });
});

describe("client address", () => {
  it("with no trusted proxy takes the address the server wrote (the last one)", () => {
    expect(clientIp(h({ "x-forwarded-for": "127.0.0.1" }), 0)).toBe("127.0.0.1");
    expect(clientIp(h({ "x-forwarded-for": "6.6.6.6, 10.0.0.2" }), 0)).toBe("10.0.0.2");
  });

  it("with N trusted proxies takes the entry the outermost one appended", () => {
    expect(clientIp(h({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" }), 1)).toBe("203.0.113.7");
  });

  it("unwraps IPv4-mapped IPv6 and rejects junk", () => {
    expect(clientIp(h({ "x-forwarded-for": "::ffff:127.0.0.1" }), 0)).toBe("127.0.0.1");
    expect(clientIp(h({ "x-forwarded-for": "<script>" }), 0)).toBeNull();
    expect(clientIp(h({}), 0)).toBeNull();
  });

  it("derives HTTPS and the own origin from X-Forwarded-Proto and Host", () => {
    expect(isSecure(h({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(ownOrigin(h({ host: "lab.test:8443", "x-forwarded-proto": "https" }))).toBe("https://lab.test:8443");
  });
});

describe("next= after sign-in", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/sessions?tab=all#x", "/sessions?tab=all#x"],
    ["//evil.example/", "/dashboard"],
    ["/\\evil.example", "/dashboard"],
    ["https://evil.example", "/dashboard"],
    ["javascript:alert(1)", "/dashboard"],
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
    ["/\u0000", "/dashboard"],
    ["", "/dashboard"],
    [undefined, "/dashboard"],
  ])("%j → %j", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });
});
