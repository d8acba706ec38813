import { describe, expect, it } from "vitest";
import { checkSameOrigin } from "@/lib/edge/http/csrf";
import { clientIp, isSecure, ownOrigin } from "@/lib/edge/http/request-context";
import { addressBucket, parseIpAddress } from "@/lib/edge/http/ip-address";
import { checkServedHost } from "@/lib/edge/http/served-host";
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
    const host = "localhost:3000";
    expect(checkSameOrigin(h({ host, "sec-fetch-site": "same-origin" })).ok).toBe(true);
    expect(checkSameOrigin(h({ host, "sec-fetch-site": "none" })).ok).toBe(true);
    expect(checkSameOrigin(h({ host, "sec-fetch-site": "same-site" })).ok).toBe(false);
    expect(checkSameOrigin(h({ host, "sec-fetch-site": "cross-site" })).ok).toBe(false);
  });

  it("lets through a request with neither header (not a browser, so it cannot carry a victim's cookies)", () => {
    expect(checkSameOrigin(h({ host: "127.0.0.1:3000" })).ok).toBe(true);
  });

  it("outside production, trusts Host only for the names the server is served under (DNS rebinding)", () => {
    const rebound = { host: "evil.example:3000", origin: "http://evil.example:3000" };
    expect(checkSameOrigin(h(rebound)).ok).toBe(false);
    expect(checkServedHost(h(rebound)).ok).toBe(false);
    for (const host of ["localhost:3000", "127.0.0.1", "[::1]:3000", "LocalHost:1"])
      expect(checkServedHost(h({ host })).ok, host).toBe(true);
    for (const host of ["", "localhost.evil:3000", "127.0.0.1@evil.example", "[::2]:3000", "127.1:3000", "a b"])
      expect(checkServedHost(h({ host })).ok, host).toBe(false);
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

  it("drops a port a proxy appended, and writes IPv6 one way", () => {
    expect(clientIp(h({ "x-forwarded-for": "203.0.113.7:51234" }), 0)).toBe("203.0.113.7");
    expect(clientIp(h({ "x-forwarded-for": "[2001:DB8::0:7]:443" }), 0)).toBe("2001:db8::7");
    expect(clientIp(h({ "x-forwarded-for": "[::ffff:203.0.113.7]:80" }), 0)).toBe("203.0.113.7");
    expect(clientIp(h({ "x-forwarded-for": "::ffff:cb00:7107" }), 0)).toBe("203.0.113.7");
    for (const junk of ["1.2.3", "256.1.1.1", "0x7f.0.0.1", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "[1.2.3.4]:80", ":::"])
      expect(parseIpAddress(junk), junk).toBeNull();
  });

  it("counts an IPv6 client by its /64 and an IPv4 client by its address", () => {
    expect(addressBucket("2001:db8:1:2:a:b:c:d")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8::/64");
    expect(addressBucket("::1")).toBe("::/64");
    expect(addressBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(addressBucket(null)).toBe("unknown");
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
    ["/.//evil.example/", "/dashboard"],
    ["/%2e%2e//evil.example/", "/dashboard"],
    ["/a/..//evil.example/", "/dashboard"],
    ["/.%2F/evil.example/", "/.%2F/evil.example/"],
    ["/a/b/../c?x#y", "/a/c?x#y"],
    ["/\u0000", "/dashboard"],
    ["", "/dashboard"],
    [undefined, "/dashboard"],
  ])("%j → %j", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });
});
