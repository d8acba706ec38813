import { beforeAll, describe, expect, it } from "vitest";
import { useAppServer } from "../helpers/use-app-server";
import { Client, GOOD_PASSWORD, signUp } from "../helpers/http-client";
import { setRole } from "../helpers/db";
import { decodeJwt, expectInvalidToken as expectInvalidTokenAt, serverSigningKey } from "../helpers/tokens";
import { generateSigningKey } from "@/lib/edge/jwt/generate-key";
import { GATE_LAYER, TEST_GATE } from "../helpers/gate";

const server = useAppServer();
let ourKey: ReturnType<typeof serverSigningKey>;
beforeAll(() => {
  ourKey = serverSigningKey(server);
});

const client = () => new Client(server.url);
const expectInvalidToken = (token: string, path?: string) => expectInvalidTokenAt(client(), token, { path });

describe("access tokens as issued", () => {
  it("carry exactly iss, aud, sub, role, iat, exp (≤ 15 min), jti, sid — no email or name — under {alg, kid, typ: at+jwt}", async () => {
    const { accessToken, user } = await signUp(client());
    const { header, payload } = decodeJwt(accessToken);
    expect(header).toEqual({ alg: "ES256", kid: ourKey.kid, typ: "at+jwt" });
    expect(Object.keys(payload).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "role", "sid", "sub"]);
    expect(payload.sub).toBe(String(user.id));
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(900);
  });

  it("work at /api/me, which reports the claims, the user and the instance, checked by the gate", async () => {
    const { accessToken, user } = await signUp(client());
    const response = await client().get("/api/me", { bearer: accessToken });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      claims: { sub: String(user.id), role: "USER" },
      user: { id: user.id },
      instance: server.env.INSTANCE_ID,
    });
    expect(response.headers.get("x-authlab-gate-timing")).toMatch(/^gateVerify;dur=/);
    expect(response.headers.get("x-authlab-gate")).toBe(TEST_GATE);
    expect(response.headers.get("x-authlab-layer")).toBe("node-handler");
    expect(response.headers.get("server-timing")).toMatch(/verify;dur=[\d.]+/);
  });

  it("are verifiable by anyone from /.well-known/jwks.json, which publishes public members only", async () => {
    const response = await client().get("/.well-known/jwks.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    expect(response.body.keys).toEqual([
      { kty: "EC", crv: "P-256", x: ourKey.x, y: ourKey.y, kid: ourKey.kid, alg: "ES256", use: "sig" },
    ]);
    expect(response.text).not.toContain(ourKey.d);
  });
});

describe("key rotation", () => {
  it("a new key signs from then on, old tokens verify while the old key is listed, and a removed key's tokens are invalid", async () => {
    const { accessToken: oldToken } = await signUp(client());
    const newKey = await generateSigningKey(false);
    const original = server.env.JWT_PRIVATE_JWKS!;
    try {
      await server.restart({ JWT_PRIVATE_JWKS: JSON.stringify({ keys: [ourKey, newKey] }) });
      expect((await client().get("/api/me", { bearer: oldToken })).status).toBe(200);
      const { accessToken: newToken } = await signUp(client());
      expect(decodeJwt(newToken).header.kid).toBe(newKey.kid);
      const jwks = (await client().get("/.well-known/jwks.json")).body.keys.map((k: { kid: string }) => k.kid);
      expect(jwks).toEqual([ourKey.kid, newKey.kid]);

      await server.restart({ JWT_PRIVATE_JWKS: JSON.stringify({ keys: [newKey] }) });
      const refused = await expectInvalidToken(oldToken);
      expect(refused.body.reason).toBe("unknown_key");
      expect((await client().get("/api/me", { bearer: newToken })).status).toBe(200);
    } finally {
      await server.restart({ JWT_PRIVATE_JWKS: original });
    }
  });
});

describe("refresh tokens", () => {
  it("the cookie is HttpOnly, SameSite=Strict, Path=/api/auth, and is only sent there", async () => {
    const c = client();
    const response = await c.post("/api/auth/signup", {
      email: `r-${Date.now()}@example.test`,
      password: GOOD_PASSWORD,
    });
    const cookie = response.setCookies.find((s) => s.name === "authlab_refresh")!;
    expect(cookie.attributes.httponly).toBe(true);
    expect(String(cookie.attributes.samesite).toLowerCase()).toBe("strict");
    expect(cookie.path).toBe("/api/auth");
    // A family locator (128 bits) and the secret (256 bits), unpadded base64url.
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  });

  it("rotate on every refresh and issue a fresh access token", async () => {
    const c = client();
    await signUp(c);
    const first = c.cookie("authlab_refresh")!.value;
    const response = await c.post("/api/auth/refresh");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ tokenType: "Bearer", expiresIn: 900, accessToken: expect.any(String) });
    expect(c.cookie("authlab_refresh")!.value).not.toBe(first);
    expect((await c.get("/api/me", { bearer: response.body.accessToken })).status).toBe(200);
  });

  it("presenting a used token revokes the whole family", async () => {
    const c = client();
    await signUp(c);
    const stolen = c.cookie("authlab_refresh")!.value;
    // Two rotations on, the copy is an ancestor. (Only the token just replaced is answered, inside the
    // reuse grace window: tests/integration/refresh-grace.test.ts.)
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    const thief = client();
    thief.setCookie("authlab_refresh", stolen, "/api/auth");
    const replay = await thief.post("/api/auth/refresh");
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe("invalid_grant");
    expect(replay.body.reason).toBe("reused");
    // The legitimate holder's newer token died with the family.
    const legit = await c.post("/api/auth/refresh");
    expect(legit.status).toBe(401);
    expect(legit.body.error).toBe("invalid_grant");
  });

  it("unknown, missing and malformed refresh tokens → 401 invalid_grant", async () => {
    const c = client();
    expect((await c.post("/api/auth/refresh")).body.error).toBe("invalid_grant");
    c.setCookie("authlab_refresh", "A".repeat(43), "/api/auth");
    expect((await c.post("/api/auth/refresh")).status).toBe(401);
    c.setCookie("authlab_refresh", "'; DROP TABLE RefreshToken; --", "/api/auth");
    expect((await c.post("/api/auth/refresh")).status).toBe(401);
  });
});

describe("revocation, shown honestly", () => {
  it("after logout the access token still works at /api/me until exp, but the strict check refuses it at once", async () => {
    const c = client();
    const { accessToken, email } = await signUp(c);
    await setRole(server.database, email, "ADMIN");
    const relogin = await c.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const adminToken = relogin.body.accessToken as string;
    expect((await client().get("/api/admin/stats", { bearer: adminToken })).status).toBe(200);

    expect((await c.post("/api/auth/logout")).status).toBe(204);
    // The stateless design's price: nothing the server can do at the Edge without state.
    expect((await client().get("/api/me", { bearer: accessToken })).status).toBe(200);
    const strict = await client().get("/api/admin/stats", { bearer: adminToken });
    expect(strict.status).toBe(401);
    expect(strict.body).toMatchObject({ error: "invalid_token", reason: "revoked", layer: "node-strict-check" });
  });

  it("a role change reaches the token at refresh; until then the strict check refuses the stale role", async () => {
    const c = client();
    const { email } = await signUp(c);
    await setRole(server.database, email, "ADMIN");
    const { accessToken: adminToken } = (await c.post("/api/auth/login", { email, password: GOOD_PASSWORD })).body;
    expect((await client().get("/api/admin/stats", { bearer: adminToken })).status).toBe(200);

    await setRole(server.database, email, "USER");
    const stale = await client().get("/api/admin/stats", { bearer: adminToken });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ error: "invalid_token", reason: "revoked" });
    const me = await client().get("/api/me", { bearer: adminToken });
    expect(me.body.claims.role).toBe("ADMIN");

    const refreshed = await c.post("/api/auth/refresh");
    expect(decodeJwt(refreshed.body.accessToken).payload.role).toBe("USER");
    const edge = await client().get("/api/admin/stats", { bearer: refreshed.body.accessToken });
    expect(edge.status).toBe(403);
    expect(edge.body.layer).toBe(GATE_LAYER);
  });

  it("DELETE /api/account runs the strict check: a revoked token cannot delete, a live one can", async () => {
    const c = client();
    const { accessToken, email } = await signUp(c);
    const second = client();
    const { accessToken: secondToken } = (await second.post("/api/auth/login", { email, password: GOOD_PASSWORD }))
      .body;
    await c.delete("/api/sessions"); // ends the second session and its family
    const refused = await client().delete("/api/account", { bearer: secondToken });
    expect(refused.status).toBe(401);
    expect(refused.body.layer).toBe("node-strict-check");

    const deleted = await client().delete("/api/account", { bearer: accessToken });
    expect(deleted.status).toBe(204);
    expect((await c.get("/api/session")).status).toBe(401);
    expect((await client().post("/api/auth/login", { email, password: GOOD_PASSWORD })).status).toBe(401);
  });
});
