/**
 * Behind a reverse proxy on the same host, with the default TRUST_PROXY_HOPS=0, every request reaches
 * the app from loopback: the launcher rightly trusts only the socket, so every client is 127.0.0.1. Two
 * things follow. Anything open to "loopback callers" is open to everyone the proxy forwards, so a
 * production server never serves /api/metrics on the strength of the address alone: it refuses to start
 * without METRICS_TOKEN (naming it) unless metrics are off. And per-address limits pool all clients into
 * one, which only the operator can fix (TRUST_PROXY_HOPS=1), so the launcher says so, once, when it sees
 * a loopback peer sending X-Forwarded-For (OWASP Logging Cheat Sheet: record security-relevant
 * misconfiguration).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Launcher } from "@/scripts/lib/app-process";
import { ROOT, createTestDatabase, startAppServer, testSecrets, type TestDatabase } from "../helpers/app-server";
import { useAppServer } from "../helpers/use-app-server";
import { Client } from "../helpers/http-client";
import { startHttpProxy, type HttpProxy } from "../helpers/http-proxy";
import { refusal } from "../helpers/refusal";

const WARNING = "server.untrusted_forwarded_for";

describe("a production server and its metrics", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it.each<Launcher>(["authlab", "next-start"])(
    "%s refuses to start without METRICS_TOKEN, naming it and the way out",
    async (launcher) => {
      const run = await refusal(ROOT, launcher, {
        ...(await testSecrets()),
        AUTHLAB_ENV: "production",
        DATABASE_URL: database.url,
      });
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("METRICS_TOKEN");
      expect(run.output).toContain("METRICS_ENABLED=false");
    },
  );

  it("with METRICS_ENABLED=false it starts, and there is no metrics endpoint to reach", async () => {
    const server = await startAppServer({ database, env: { AUTHLAB_ENV: "production", METRICS_ENABLED: "false" } });
    try {
      const response = await new Client(server.url).get("/api/metrics");
      expect(response.status).toBe(404);
      expect(response.body.error).toBe("not_found");
    } finally {
      await server.dispose();
    }
  });
});

describe("a reverse proxy on the same host while TRUST_PROXY_HOPS is 0", () => {
  const server = useAppServer();
  let proxy: HttpProxy;
  beforeAll(async () => {
    proxy = await startHttpProxy(server, "203.0.113.77");
  });
  afterAll(async () => {
    await proxy?.close();
  });

  const warnings = () =>
    server
      .logs()
      .split("\n")
      .filter((line) => line.includes(WARNING));

  it("the launcher warns once that every client now counts as loopback, naming TRUST_PROXY_HOPS", async () => {
    // A client on this machine talking to the app directly is no proxy.
    expect((await new Client(server.url).get("/api/health")).status).toBe(200);
    expect(warnings()).toEqual([]);

    for (let i = 0; i < 3; i++) expect((await new Client(proxy.url).get("/api/health")).status).toBe(200);
    await expect.poll(() => warnings().length).toBeGreaterThan(0);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain("TRUST_PROXY_HOPS");
    // The warning names the setting, never a client's address.
    expect(warnings()[0]).not.toContain("203.0.113.77");
  });
});
