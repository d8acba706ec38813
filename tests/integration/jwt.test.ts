import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { Client, GOOD_PASSWORD, signUp } from "../helpers/http-client";
import { setRole } from "../helpers/db";
import { freePort } from "../helpers/ports";
import { assemble, b64url, decodeJwt, hs256, publicPem, signWithKey, strangerKey, validClaims } from "../helpers/tokens";
import { parsePrivateJwks, type PrivateJwk } from "@/lib/auth/jwt/jwks-schema";
import { generateSigningKey } from "@/lib/auth/jwt/generate-key";

let server: AppServer;
let ourKey: Extract<PrivateJwk, { kty: "EC" }>;

beforeAll(async () => {
  server = await startAppServer();
  const parsed = parsePrivateJwks(server.env.JWT_PRIVATE_JWKS!);
  if (!parsed.ok) throw new Error(parsed.message);
  ourKey = parsed.keys[0] as Extract<PrivateJwk, { kty: "EC" }>;
});
afterAll(async () => {
  await server?.dispose();
});

const client = () => new Client(server.url);

async function expectInvalidToken(token: string, path = "/api/me") {
  const response = await client().get(path, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, response.text).toBe(401);
  expect(response.body.error).toBe("invalid_token");
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="authlab", error="invalid_token", error_description=".+"$/);
  expect(response.body.layer).toBe("edge-middleware");
  return response;
}

describe("access tokens as issued", () => {
  it("carry exactly iss, aud, sub, role, iat, exp (≤ 15 min), jti, sid — no email or name — under {alg, kid, typ: at+jwt}", async () => {
    const { accessToken, user } = await signUp(client());
    const { header, payload } = decodeJwt(accessToken);
    expect(header).toEqual({ alg: "ES256", kid: ourKey.kid, typ: "at+jwt" });
    expect(Object.keys(payload).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "role", "sid", "sub"]);
    expect(payload.sub).toBe(String(user.id));
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(900);
  });

  it("work at /api/me, which reports the claims, the user and the instance, checked at the Edge", async () => {
    const { accessToken, user } = await signUp(client());
    const response = await client().get("/api/me", { bearer: accessToken });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ claims: { sub: String(user.id), role: "USER" }, user: { id: user.id }, instance: server.env.INSTANCE_ID });
    expect(response.headers.get("x-authlab-layer")).toBe("edge-middleware");
    expect(response.headers.get("server-timing")).toMatch(/verify;dur=[\d.]+/);
  });

  it("are verifiable by anyone from /.well-known/jwks.json, which publishes public members only", async () => {
    const response = await client().get("/.well-known/jwks.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    expect(response.body.keys).toEqual([{ kty: "EC", crv: "P-256", x: ourKey.x, y: ourKey.y, kid: ourKey.kid, alg: "ES256", use: "sig" }]);
    expect(response.text).not.toContain(ourKey.d);
  });
});

describe("RFC 6750 responses", () => {
  it("no token → 401 with a bare Bearer challenge and no error code in it", async () => {
    const response = await client().get("/api/me");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="authlab"');
    expect(response.body).toMatchObject({ error: "missing_token", error_description: expect.any(String) });
  });

  it("another scheme counts as no Bearer token", async () => {
    const response = await client().get("/api/me", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="authlab"');
  });

  it.each([["Bearer"], ["Bearer "], ["Bearer a b"], ["Bearer  a,b"]])("malformed %j → 400 invalid_request", async (value) => {
    const response = await client().get("/api/me", { headers: { authorization: value } });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe("invalid_request");
  });

  it("an oversized token is refused with 401, an oversized header block with 431 — never a 5xx", async () => {
    await expectInvalidToken("a".repeat(5000) + ".b.c");
    const huge = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${"a".repeat(20_000)}` } });
    expect(huge.status).toBe(431);
  });

  it("a user's token on an admin route → 403 insufficient_scope", async () => {
    const { accessToken } = await signUp(client());
    const response = await client().get("/api/admin/stats", { bearer: accessToken });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe("insufficient_scope");
    expect(response.headers.get("www-authenticate")).toMatch(/error="insufficient_scope"/);
  });
});

describe("forged and confused tokens are refused at the Edge (RFC 8725)", () => {
  const header = () => ({ alg: "ES256", kid: ourKey.kid, typ: "at+jwt" });

  it.each(["none", "None", "NONE", "nOnE"])("alg %s", async (alg) => {
    const claims = validClaims({ role: "ADMIN" });
    await expectInvalidToken(assemble({ ...header(), alg }, claims));
    await expectInvalidToken(assemble({ ...header(), alg }, claims, "AA"));
  });

  it("a null signature on a real header and payload", async () => {
    const { accessToken } = await signUp(client());
    const [h, p] = accessToken.split(".");
    await expectInvalidToken(`${h}.${p}.`);
  });

  it("an ES256 signature of 64 zero bytes (CVE-2022-21449, 'psychic signatures')", async () => {
    await expectInvalidToken(assemble(header(), validClaims(), b64url(new Uint8Array(64))));
  });

  it("HS256 keyed with our public key as PEM, as JWK JSON, and with blank and common secrets", async () => {
    const jwks = (await client().get("/.well-known/jwks.json")).body;
    const jwk = jwks.keys[0];
    const hsHeader = { alg: "HS256", kid: ourKey.kid, typ: "at+jwt" };
    for (const secret of [publicPem(jwk), JSON.stringify(jwk), JSON.stringify(jwks), "", "secret", "authlab", "changeme"]) {
      await expectInvalidToken(hs256(hsHeader, validClaims({ role: "ADMIN" }), secret));
    }
  });

  it("a token signed by a stranger's key with an embedded jwk header", async () => {
    const stranger = await strangerKey();
    const token = await new SignJWT(validClaims({ role: "ADMIN" }))
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: ourKey.kid, jwk: stranger.publicJwk as never })
      .sign(stranger.privateKey);
    await expectInvalidToken(token);
    const noKid = await new SignJWT(validClaims()).setProtectedHeader({ alg: "ES256", typ: "at+jwt", jwk: stranger.publicJwk as never }).sign(stranger.privateKey);
    await expectInvalidToken(noKid);
    const plain = await new SignJWT(validClaims()).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: ourKey.kid }).sign(stranger.privateKey);
    const response = await expectInvalidToken(plain);
    expect(response.body.error_description).toMatch(/signature/);
  });

  it("jku and x5u pointing at a listener, which receives no request at all", async () => {
    let hits = 0;
    const port = await freePort();
    const listener = http.createServer((_req, res) => {
      hits++;
      res.end("{}");
    });
    await new Promise<void>((resolve) => listener.listen(port, "127.0.0.1", resolve));
    try {
      const stranger = await strangerKey();
      for (const extra of [{ jku: `http://127.0.0.1:${port}/jwks.json` }, { x5u: `http://127.0.0.1:${port}/cert.pem` }, { jku: `http://127.0.0.1:${port}/j`, kid: "attacker" }]) {
        const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: ourKey.kid, ...extra }).sign(stranger.privateKey);
        await expectInvalidToken(token);
      }
      expect(hits).toBe(0);
    } finally {
      listener.close();
    }
  });

  it.each(["../../../../etc/passwd", "' OR '1'='1", "1; DROP TABLE User; --", "$(touch /tmp/authlab-pwned)", "`id`", "\u0000", "x".repeat(300)])(
    "kid %j selects nothing",
    async (kid) => {
      await expectInvalidToken(await signWithKey(ourKey, validClaims(), { kid }));
    },
  );

  it.each(["ES384", "RS256", "PS256", "EdDSA"] as const)("a %s token (not our key's algorithm)", async (alg) => {
    const stranger = await strangerKey(alg);
    const token = await new SignJWT(validClaims()).setProtectedHeader({ alg, typ: "at+jwt", kid: ourKey.kid }).sign(stranger.privateKey);
    await expectInvalidToken(token);
  });

  it("a tampered payload with the original signature", async () => {
    const { accessToken } = await signUp(client());
    const [h, p, s] = accessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    await expectInvalidToken(`${h}.${b64url({ ...claims, role: "ADMIN" })}.${s}`);
    await expectInvalidToken(`${h}.${b64url({ ...claims, sub: "1" })}.${s}`);
  });

  it("a refresh token, or a token for another audience, used as an access token", async () => {
    const c = client();
    await signUp(c);
    await expectInvalidToken(c.cookie("authlab_refresh")!.value);
    await expectInvalidToken(await signWithKey(ourKey, validClaims({ aud: "urn:someone-else" })));
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ["expired beyond the clock tolerance", () => validClaims({ iat: now() - 700, exp: now() - 60 })],
    ["not valid yet (nbf in the future)", () => validClaims({ nbf: now() + 120 })],
    ["issued in the future", () => validClaims({ iat: now() + 3600, exp: now() + 3900 })],
    ["wrong issuer", () => validClaims({ iss: "https://evil.example" })],
    ["wrong audience", () => validClaims({ aud: "urn:authlab:other" })],
    ["no sid", () => ({ ...validClaims(), sid: undefined })],
    ["no jti", () => ({ ...validClaims(), jti: undefined })],
    ["no role", () => ({ ...validClaims(), role: undefined })],
    ["an unknown role", () => validClaims({ role: "ROOT" })],
    ["a sub that is not a user id", () => validClaims({ sub: "admin" })],
    ["a lifetime over 15 minutes", () => validClaims({ exp: now() + 3600 })],
  ])("a correctly signed token with %s", async (_label, claims) => {
    await expectInvalidToken(await signWithKey(ourKey, claims() as Record<string, unknown>));
  });

  it.each([["JWT"], ["id_token+jwt"], [undefined]])("a correctly signed token with typ %j (not at+jwt)", async (typ) => {
    await expectInvalidToken(await signWithKey(ourKey, validClaims(), { typ } as never));
  });

  it("accepts the same token with the right claims (the cases above fail for their own reason)", async () => {
    const response = await client().get("/api/me", { bearer: await signWithKey(ourKey, validClaims()) });
    expect(response.status).toBe(200);
  });
});

describe("requests that try to skip verification", () => {
  it("client-sent identity headers are stripped: without a token they grant nothing, with one they change nothing", async () => {
    const spoof = {
      "x-authlab-claims": JSON.stringify(validClaims({ sub: "1", role: "ADMIN" })),
      "x-authlab-verified": "guess",
      "x-user-id": "1",
      "x-user-role": "ADMIN",
    };
    expect((await client().get("/api/me", { headers: spoof })).status).toBe(401);
    expect((await client().get("/api/admin/stats", { headers: spoof })).status).toBe(401);
    const { accessToken, user } = await signUp(client());
    const me = await client().get("/api/me", { bearer: accessToken, headers: spoof });
    expect(me.status).toBe(200);
    expect(me.body.claims.sub).toBe(String(user.id));
    expect(me.body.claims.role).toBe("USER");
  });

  it("x-middleware-subrequest (CVE-2025-29927) does not skip the middleware", async () => {
    for (const value of ["middleware", "middleware:middleware:middleware:middleware:middleware", "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware"]) {
      const response = await client().get("/api/me", { headers: { "x-middleware-subrequest": value } });
      expect(response.status).toBe(401);
    }
  });

  it.each(["/API/me", "/Api/Me", "/api/me/", "//api/me", "/api//me", "/api/%6de", "/api/me%2F", "/api/./me", "/api/health/../me", "/api/auth/..%2Fme", "/api/me.json", "/api/admin/../me", "/api/noop/../me"])(
    "path variant %s cannot reach a protected handler unverified",
    async (path) => {
      const response = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect([301, 308, 400, 401, 404]).toContain(response.status);
      if (response.status === 200) throw new Error(`${path} answered 200 without a token`);
    },
  );
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
      expect(refused.body.error_description).toMatch(/current key/);
      expect((await client().get("/api/me", { bearer: newToken })).status).toBe(200);
    } finally {
      await server.restart({ JWT_PRIVATE_JWKS: original });
    }
  });
});

describe("refresh tokens", () => {
  it("the cookie is HttpOnly, SameSite=Strict, Path=/api/auth, and is only sent there", async () => {
    const c = client();
    const response = await c.post("/api/auth/signup", { email: `r-${Date.now()}@example.test`, password: GOOD_PASSWORD });
    const cookie = response.setCookies.find((s) => s.name === "authlab_refresh")!;
    expect(cookie.attributes.httponly).toBe(true);
    expect(String(cookie.attributes.samesite).toLowerCase()).toBe("strict");
    expect(cookie.path).toBe("/api/auth");
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
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
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    const thief = client();
    thief.setCookie("authlab_refresh", stolen, "/api/auth");
    const replay = await thief.post("/api/auth/refresh");
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe("invalid_grant");
    expect(replay.body.error_description).toMatch(/already used/);
    // The legitimate holder's newer token died with the family.
    const legit = await c.post("/api/auth/refresh");
    expect(legit.status).toBe(401);
    expect(legit.body.error).toBe("invalid_grant");
  });

  it("of ten concurrent refreshes with one token, at most one succeeds", async () => {
    const c = client();
    await signUp(c);
    const token = c.cookie("authlab_refresh")!.value;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => {
        const racer = client();
        racer.setCookie("authlab_refresh", token, "/api/auth");
        return racer.post("/api/auth/refresh");
      }),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
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
    setRole(server.database, email, "ADMIN");
    const relogin = await c.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const adminToken = relogin.body.accessToken as string;
    expect((await client().get("/api/admin/stats", { bearer: adminToken })).status).toBe(200);

    expect((await c.post("/api/auth/logout")).status).toBe(204);
    // The stateless design's price: nothing the server can do at the Edge without state.
    expect((await client().get("/api/me", { bearer: accessToken })).status).toBe(200);
    const strict = await client().get("/api/admin/stats", { bearer: adminToken });
    expect(strict.status).toBe(401);
    expect(strict.body).toMatchObject({ error: "invalid_token", layer: "node-strict-check" });
    expect(strict.body.error_description).toMatch(/session was ended/);
  });

  it("a role change reaches the token at refresh; until then the strict check refuses the stale role", async () => {
    const c = client();
    const { email } = await signUp(c);
    setRole(server.database, email, "ADMIN");
    const { accessToken: adminToken } = (await c.post("/api/auth/login", { email, password: GOOD_PASSWORD })).body;
    expect((await client().get("/api/admin/stats", { bearer: adminToken })).status).toBe(200);

    setRole(server.database, email, "USER");
    const stale = await client().get("/api/admin/stats", { bearer: adminToken });
    expect(stale.status).toBe(401);
    expect(stale.body.error_description).toMatch(/role/);
    const me = await client().get("/api/me", { bearer: adminToken });
    expect(me.body.claims.role).toBe("ADMIN");

    const refreshed = await c.post("/api/auth/refresh");
    expect(decodeJwt(refreshed.body.accessToken).payload.role).toBe("USER");
    const edge = await client().get("/api/admin/stats", { bearer: refreshed.body.accessToken });
    expect(edge.status).toBe(403);
    expect(edge.body.layer).toBe("edge-middleware");
  });

  it("DELETE /api/account runs the strict check: a revoked token cannot delete, a live one can", async () => {
    const c = client();
    const { accessToken, email } = await signUp(c);
    const second = client();
    const { accessToken: secondToken } = (await second.post("/api/auth/login", { email, password: GOOD_PASSWORD })).body;
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
