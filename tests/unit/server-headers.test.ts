import { describe, expect, it } from "vitest";
import type { IncomingMessage, ServerResponse } from "node:http";
import { normaliseForwardedHeaders } from "@/scripts/server/forwarded.mjs";
import { applyCors, parseOrigins } from "@/scripts/server/cors.mjs";

function req(headers: Record<string, string>, remoteAddress = "198.51.100.4", encrypted = false) {
  return { headers: { ...headers }, socket: { remoteAddress, encrypted }, method: "GET" } as unknown as IncomingMessage;
}

describe("X-Forwarded-* normalisation", () => {
  it("without trusted proxies the socket decides, whatever the client claimed", () => {
    const r = req({
      "x-forwarded-for": "1.2.3.4",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "evil.example",
      "x-real-ip": "5.6.7.8",
      forwarded: "for=1.2.3.4",
    });
    normaliseForwardedHeaders(r, 0);
    expect(r.headers).toEqual({ "x-forwarded-for": "198.51.100.4", "x-forwarded-proto": "http" });
  });

  it("says when a loopback peer sends X-Forwarded-For while no proxy is trusted: a proxy nobody declared", () => {
    expect(normaliseForwardedHeaders(req({ "x-forwarded-for": "203.0.113.9" }, "127.0.0.1"), 0)).toEqual({
      proxiedFromLoopback: true,
    });
    expect(normaliseForwardedHeaders(req({ "x-forwarded-for": "203.0.113.9" }, "::ffff:127.0.0.1"), 0)).toEqual({
      proxiedFromLoopback: true,
    });
    // A loopback client without the header, a remote client with it, or a declared proxy: nothing to say.
    expect(normaliseForwardedHeaders(req({}, "127.0.0.1"), 0).proxiedFromLoopback).toBe(false);
    expect(normaliseForwardedHeaders(req({ "x-forwarded-for": "1.2.3.4" }), 0).proxiedFromLoopback).toBe(false);
    expect(normaliseForwardedHeaders(req({ "x-forwarded-for": "1.2.3.4" }, "127.0.0.1"), 1).proxiedFromLoopback).toBe(
      false,
    );
  });

  it("behind N trusted proxies appends the socket address to the chain", () => {
    const r = req({ "x-forwarded-for": "6.6.6.6, 203.0.113.7", "x-forwarded-proto": "https" }, "10.0.0.2");
    normaliseForwardedHeaders(r, 1);
    expect(r.headers["x-forwarded-for"]).toBe("6.6.6.6, 203.0.113.7, 10.0.0.2");
    expect(r.headers["x-forwarded-proto"]).toBe("https");
  });
});

describe("CORS for cluster peers", () => {
  function res() {
    const headers: Record<string, string> = {};
    return {
      headers,
      setHeader: (k: string, v: string) => (headers[k] = v),
      end: () => undefined,
      statusCode: 200,
    } as unknown as ServerResponse & { headers: Record<string, string> };
  }

  it("allows only listed origins, with credentials, and exposes the trace headers", () => {
    const allowed = parseOrigins("http://localhost:3001, http://localhost:3002");
    const ok = res();
    applyCors(req({ origin: "http://localhost:3001" }), ok, allowed);
    expect(ok.headers["access-control-allow-origin"]).toBe("http://localhost:3001");
    expect(ok.headers["access-control-allow-credentials"]).toBe("true");
    expect(ok.headers["access-control-expose-headers"]).toContain("server-timing");
    const no = res();
    applyCors(req({ origin: "https://evil.example" }), no, allowed);
    expect(no.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
