/**
 * The JWT half of the API under plain `next start` on the production build — how most Next.js apps
 * are deployed, and how people will run the code they copy. Nothing here goes through the project's
 * launcher (scripts/server.mjs): every handler verifies the token itself.
 */
import { describe, expect, it } from "vitest";
import { Client, signUp } from "../helpers/http-client";
import { expectInvalidToken, serverSigningKey, signWithKey, validClaims } from "../helpers/tokens";
import { useAppServer } from "../helpers/use-app-server";
import { TEST_GATE } from "../helpers/gate";

const server = useAppServer({ launcher: "next-start" });
const client = () => new Client(server.url);

describe("JWT routes under plain next start", () => {
  it("answers /api/me with the token's claims, verified by the gate and again in the handler", async () => {
    const { accessToken, user } = await signUp(client());
    const response = await client().get("/api/me", { bearer: accessToken });
    expect(response.status).toBe(200);
    expect(response.body.claims.sub).toBe(String(user.id));
    expect(response.headers.get("x-authlab-layer")).toBe("node-handler");
    expect(response.headers.get("x-authlab-gate-timing")).toMatch(/^gateVerify;dur=/);
    expect(response.headers.get("x-authlab-gate")).toBe(TEST_GATE);
  });

  it("runs the strict check and the admin role check", async () => {
    const { accessToken } = await signUp(client());
    expect((await client().get("/api/me/strict", { bearer: accessToken })).status).toBe(200);
    const admin = await client().get("/api/admin/stats", { bearer: accessToken });
    expect(admin.status).toBe(403);
    expect(admin.body.error).toBe("insufficient_scope");
  });

  it("refuses a missing token with the bare challenge and a bad one with its reason", async () => {
    const missing = await client().get("/api/me");
    expect(missing.status).toBe(401);
    expect(missing.body.error).toBe("missing_token");
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="authlab", DPoP algs="ES256 EdDSA Ed25519"');
    const key = serverSigningKey(server);
    await expectInvalidToken(client(), await signWithKey(key, validClaims({ aud: "urn:someone-else" })), {
      reason: "wrong_audience",
    });
  });

  it("grants nothing for identity headers a client sends itself", async () => {
    const spoof = {
      "x-authlab-claims": JSON.stringify(validClaims({ sub: "1", role: "ADMIN" })),
      "x-authlab-verified": "x",
      "x-user-role": "ADMIN",
    };
    for (const path of ["/api/me", "/api/me/strict", "/api/admin/stats"]) {
      expect((await client().get(path, { headers: spoof })).status, path).toBe(401);
    }
  });

  it("keeps the session half working too", async () => {
    const c = client();
    await signUp(c);
    expect((await c.get("/api/session")).status).toBe(200);
  });
});
