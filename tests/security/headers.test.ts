/**
 * Response headers a browser enforces, on a real production server: a nonce-based CSP with no
 * inline script allowed, no framing, no MIME sniffing, a referrer policy, and HSTS only over HTTPS.
 */
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { Client, signUp } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";
import { productionEnv } from "../helpers/app-server";

const server = useAppServer({ env: { TRUST_PROXY_HOPS: "1" } });

const client = () => new Client(server.url);

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe("pages", () => {
  it.each(["/", "/login", "/signup", "/no-such-page"])(
    "%s: CSP with a fresh nonce on every script and no unsafe-inline",
    async (path) => {
      const first = await client().get(path);
      const second = await client().get(path);
      const csp = first.headers.get("content-security-policy")!;
      const policy = directives(csp);
      const scripts = policy.get("script-src")!;
      expect(scripts).toContain("'strict-dynamic'");
      expect(scripts.join(" ")).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      expect(second.headers.get("content-security-policy")).not.toContain(nonce);
      expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
      expect(policy.get("object-src")).toEqual(["'none'"]);
      expect(policy.get("base-uri")).toEqual(["'self'"]);
      expect(policy.get("form-action")).toEqual(["'self'"]);
      // Every script element Next emitted carries the nonce (inline ones would be blocked otherwise).
      const tags = [...first.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    },
  );

  it("the dashboard of a signed-in user has the same policy", async () => {
    const c = client();
    await signUp(c);
    const page = await c.get("/dashboard");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
  });
});

describe("every response", () => {
  it.each(["/", "/login", "/api/health", "/.well-known/jwks.json", "/api/me"])(
    "%s: nosniff, DENY framing, a referrer policy, no X-Powered-By",
    async (path) => {
      const response = await client().get(path);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("x-powered-by")).toBeNull();
    },
  );

  it("API responses carry a policy that allows nothing and are never cached", async () => {
    const response = await client().get("/api/health");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("HSTS over HTTPS (as the trusted proxy reports it), none over plain HTTP", async () => {
    const https = await client().get("/login", {
      headers: { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.5" },
    });
    expect(https.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
    const http = await client().get("/login", { headers: { "x-forwarded-proto": "http" } });
    expect(http.headers.get("strict-transport-security")).toBeNull();
  });
});

/**
 * Behind a TLS-terminating proxy the app may see plain HTTP: with TRUST_PROXY_HOPS=0 the launcher
 * rewrites X-Forwarded-Proto from the socket, so keying HSTS on that header never sent it. The
 * public origin decides: APP_ORIGIN=https://… means every browser reached us over HTTPS.
 */
describe.each(["authlab", "next-start"] as const)("HSTS when APP_ORIGIN is https (%s)", (launcher) => {
  const behindProxy = useAppServer({ launcher, env: { APP_ORIGIN: "https://lab.example", TRUST_PROXY_HOPS: "0" } });

  it.each([
    ["GET", "/"],
    ["GET", "/login"],
    ["GET", "/no-such-page"],
    ["GET", "/api/health"],
    ["GET", "/api/me"],
    ["GET", "/api/session"],
    ["GET", "/.well-known/jwks.json"],
    ["POST", "/api/auth/login"],
  ])("%s %s carries Strict-Transport-Security, whatever X-Forwarded-Proto says", async (method, path) => {
    for (const proto of [undefined, "http"]) {
      const response = await new Client(behindProxy.url).request(path, {
        method,
        json: method === "POST" ? {} : undefined,
        headers: { origin: "https://lab.example", ...(proto ? { "x-forwarded-proto": proto } : {}) },
      });
      expect(response.status, `${path} ${response.text.slice(0, 200)}`).toBeLessThan(500);
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
    }
  });

  it("static assets and the favicon carry it too: the middleware never sees them, the headers must still be there", async () => {
    const page = await new Client(behindProxy.url).get("/login");
    const asset = /\/_next\/static\/[^"']+\.js/.exec(page.text)![0];
    for (const path of [asset, "/favicon.ico", "/icon.svg"]) {
      for (const proto of [undefined, "http"]) {
        const response = await new Client(behindProxy.url).get(path, {
          headers: proto ? { "x-forwarded-proto": proto } : {},
        });
        expect(response.status, path).toBe(200);
        expect(response.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
      }
    }
  });
});

describe("the benchmark charts", () => {
  it("keep their own policy: opened on its own, an SVG is a document, and it runs nothing (sandbox)", async () => {
    const response = await client().get("/bench-charts/ratios.svg");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
  });
});

describe("in production, without INSTANCE_ID", () => {
  const production = useAppServer({ env: productionEnv({ INSTANCE_ID: "" }) });

  it("x-authlab-instance names the instance, never the machine's host name and port", async () => {
    const response = await new Client(production.url).get("/api/health");
    expect(response.status).toBe(200);
    const instance = response.headers.get("x-authlab-instance");
    expect(instance).toBe("authlab");
    expect(instance).not.toContain(hostname());
    expect(response.body.instance).toBe("authlab");
    expect(instance).not.toContain(String(production.port));
  });
});
