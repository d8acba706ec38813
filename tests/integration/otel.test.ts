/**
 * OpenTelemetry against a real server: with OTEL_EXPORTER_OTLP_ENDPOINT set, the production server
 * exports spans by OTLP/HTTP (JSON) to a tiny receiver on loopback — the session check with its unseal
 * and store lookup, the token check with its verification (and DPoP proof check), the refresh rotation — named as the
 * dashboard's trace names them, and flushes the last batch when it stops.
 */
import { createServer, type Server } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { dpopHeaders, makeProof, proofKey } from "../helpers/dpop";

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
}

interface Received {
  service: string | undefined;
  span: OtlpSpan;
}

function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") {
        const raw = Buffer.concat(chunks);
        const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
        const body = JSON.parse(text) as {
          resourceSpans: {
            resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: OtlpSpan[] }[];
          }[];
        };
        for (const resourceSpan of body.resourceSpans) {
          const service = resourceSpan.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue;
          for (const scope of resourceSpan.scopeSpans) for (const span of scope.spans) received.push({ service, span });
        }
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}`, received });
    }),
  );
}

describe("OpenTelemetry export (OTEL_EXPORTER_OTLP_ENDPOINT set)", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let app: AppServer;

  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startAppServer({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "authlab-under-test" },
    });
  });
  afterAll(async () => {
    await app?.dispose();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it("sends the checks' spans, named like the dashboard's trace steps, and flushes them at shutdown", async () => {
    const c = new Client(app.url);
    const { accessToken } = await signUp(c);
    expect((await c.get("/api/session")).status).toBe(200);
    expect((await c.get("/api/me", { bearer: accessToken })).status).toBe(200);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    // A DPoP client: its checks are the same checks, with the proof's steps inside them.
    const key = await proofKey();
    const bound = new Client(app.url);
    const proofFor = (htm: string, path: string, token?: string) =>
      makeProof(key, { htm, htu: `${app.url}${path}`, accessToken: token });
    const signup = await bound.post(
      "/api/auth/signup",
      { email: uniqueEmail("otel-dpop"), password: GOOD_PASSWORD },
      { headers: { dpop: await proofFor("POST", "/api/auth/signup") } },
    );
    const boundToken = signup.body.accessToken as string;
    const me = await bound.get("/api/me", {
      headers: dpopHeaders(boundToken, await proofFor("GET", "/api/me", boundToken)),
    });
    expect(me.status).toBe(200);
    const refresh = await bound.post("/api/auth/refresh", undefined, {
      headers: { dpop: await proofFor("POST", "/api/auth/refresh") },
    });
    expect(refresh.body.tokenType).toBe("DPoP");
    // The batch's timer has not fired yet (5 s by default): stopping the server must flush it.
    await app.stop();

    const names = receiver.received.map((r) => r.span.name);
    for (const name of [
      "session check",
      "iron-session unseal",
      "session store lookup",
      "token check",
      "Node JWT verify",
      "refresh token rotation",
    ]) {
      expect(names, name).toContain(name);
    }
    expect(new Set(receiver.received.map((r) => r.service))).toEqual(new Set(["authlab-under-test"]));

    // The test's own session check, not one of the launcher's warm-up requests (no cookie: "absent").
    const check = receiver.received.find(
      (r) =>
        r.span.name === "session check" &&
        r.span.attributes?.some((a) => a.key === "authlab.outcome" && a.value.stringValue === "ok"),
    )!.span;
    const lookup = receiver.received.find(
      (r) => r.span.name === "session store lookup" && r.span.parentSpanId === check.spanId,
    );
    expect(lookup?.span.traceId).toBe(check.traceId);
    expect(lookup?.span.attributes).toContainEqual({ key: "authlab.detail", value: { stringValue: "database" } });

    const childrenOf = (parent: string) =>
      receiver.received
        .filter((r) => r.span.name === parent)
        .map((r) => receiver.received.filter((c) => c.span.parentSpanId === r.span.spanId).map((c) => c.span.name));
    expect(childrenOf("token check")).toContainEqual(
      expect.arrayContaining(["Node JWT verify", "Node DPoP proof check"]),
    );
    expect(childrenOf("refresh token rotation")).toContainEqual(
      expect.arrayContaining(["Node DPoP proof check", "DPoP jti claimed in the shared store"]),
    );

    // Nothing identifying in any span of ours: no user id, email, cookie or token.
    const ours = JSON.stringify(
      receiver.received.filter((r) => r.span.attributes?.some((a) => a.key.startsWith("authlab."))),
    );
    expect(ours).not.toContain(accessToken);
    expect(ours).not.toContain(boundToken);
    expect(ours).not.toContain("@example.test");
    expect(app.logs()).toContain('"event":"otel.started"');
  });
});
