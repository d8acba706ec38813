/**
 * The gate under test (AUTHLAB_GATE: the Edge middleware by default, the Node proxy in the proxy
 * build) names itself on every response, and what the Node gate adds over the Edge one holds only
 * there: it reads the session store for pages, and its token verification is the handler's cache hit.
 */
import { describe, expect, it } from "vitest";
import { Client, signUp } from "../helpers/http-client";
import { GATE_LAYER, TEST_GATE } from "../helpers/gate";
import { useAppServer } from "../helpers/use-app-server";

const server = useAppServer();
const client = () => new Client(server.url);

/** A second browser holding the same cookies: what a copied cookie jar (or a second tab) looks like. */
function copyOf(source: Client): Client {
  const copy = client();
  for (const [name, cookie] of source.jar) copy.jar.set(name, { ...cookie });
  return copy;
}

describe("which gate served", () => {
  it("every response names the build's gate: the plain route, a page, a token route, a refusal", async () => {
    const health = await client().get("/api/health");
    expect(health.body.gate).toBe(TEST_GATE);
    for (const path of ["/api/health", "/", "/login", "/api/me", "/.well-known/jwks.json"]) {
      const response = await client().get(path);
      expect(response.headers.get("x-authlab-gate"), path).toBe(TEST_GATE);
    }
    const refused = await client().get("/api/me", { bearer: "not-a-token" });
    expect(refused.status).toBe(401);
    expect(refused.body.layer).toBe(GATE_LAYER);
  });
});

describe("the token check, gate then handler", () => {
  it("the handler verifies again; in one process (the Node proxy) the gate's verification is its cache hit", async () => {
    const { accessToken } = await signUp(client());
    const response = await client().get("/api/me", { bearer: accessToken });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-authlab-gate-timing")).toMatch(/^gateVerify;dur=/);
    expect(response.headers.get("x-authlab-layer")).toBe("node-handler");
    const handlerVerify = response.headers.get("server-timing") ?? "";
    expect(handlerVerify).toMatch(/verify;dur=/);
    // The Edge isolate keeps its own cache, so the handler's first sight of a token is a full check.
    expect(handlerVerify.includes("this token already verified")).toBe(TEST_GATE === "proxy");
  });
});

describe("a protected page with a session that has ended", () => {
  it("is sent to /login?reason=ended — by the Node gate itself, or by the page behind the Edge gate", async () => {
    const owner = client();
    await signUp(owner);
    const stale = copyOf(owner);
    expect((await owner.post("/api/auth/logout")).status).toBe(204);

    const page = await stale.get("/dashboard");
    expect(page.status).toBe(307);
    const location = new URL(page.headers.get("location")!, server.url);
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("reason")).toBe("ended");
    expect(location.searchParams.get("next")).toBe("/dashboard");
    // The Edge gate cannot read the store: it lets the cookie through and the page decides.
    expect(page.headers.get("x-authlab-layer") === GATE_LAYER).toBe(TEST_GATE === "proxy");
  });

  it("a cookie that does not open is refused with reason unreadable, whichever layer decides", async () => {
    const tampered = client();
    tampered.setCookie("authlab_session", "Fe26.2**not-a-seal");
    const page = await tampered.get("/sessions");
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get("location")!, server.url).searchParams.get("reason")).toBe("unreadable");
    expect(page.headers.get("x-authlab-layer") === GATE_LAYER).toBe(TEST_GATE === "proxy");
  });

  it("a live session renders the page in both gates", async () => {
    const owner = client();
    await signUp(owner);
    const page = await owner.get("/dashboard");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/'nonce-[^']+'/);
  });
});
