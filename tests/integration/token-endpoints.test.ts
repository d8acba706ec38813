/**
 * The standard token endpoints (docs/api.md, "Token revocation and introspection") against a real server: RFC 7009
 * revocation and RFC 7662 introspection, their client authentication (INTROSPECTION_CLIENTS, or an
 * admin's access token), the strict check honouring a revoked `jti`, and their rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { useAppServer } from "../helpers/use-app-server";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail, type ApiResponse } from "../helpers/http-client";
import { countRows, refreshFamilies, setRole } from "../helpers/db";
import { decodeJwt, serverSigningKey, signWithKey, validClaims } from "../helpers/tokens";
import { dpopHeaders, makeProof, proofKey } from "../helpers/dpop";

const CLIENT_ID = "resource-server";
const CLIENT_SECRET = "s3cret-of-the-resource-server-0123456789";
const OTHER_ID = "other.rs";
const OTHER_SECRET = "another-secret-that-is-long-enough-0123456";

const server = useAppServer({
  env: {
    INTROSPECTION_CLIENTS: `${CLIENT_ID}:${CLIENT_SECRET}, ${OTHER_ID}:${OTHER_SECRET}`,
    INSTANCE_ID: "token-endpoints",
  },
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const AS_CLIENT = { authorization: basic(CLIENT_ID, CLIENT_SECRET) };

function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

function post(
  path: "/api/auth/revoke" | "/api/auth/introspect",
  body: string,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  return new Client(server.url).request(path, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    sameOrigin: false,
  });
}

const introspect = (token: string, headers: Record<string, string> = AS_CLIENT) =>
  post("/api/auth/introspect", form({ token }), headers);
const revoke = (values: Record<string, string>, headers: Record<string, string> = {}) =>
  post("/api/auth/revoke", form(values), headers);

function expectInvalidClient(response: ApiResponse) {
  expect(response.status, response.text).toBe(401);
  expect(response.body.error).toBe("invalid_client");
  expect(response.headers.get("www-authenticate")).toBe('Basic realm="authlab"');
}

describe("POST /api/auth/introspect (RFC 7662)", () => {
  it("a live token: active with its claims and token_type Bearer; no-store", async () => {
    const { accessToken, user } = await signUp(new Client(server.url));
    const response = await introspect(accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const claims = decodeJwt(accessToken).payload;
    expect(response.body).toEqual({
      active: true,
      sub: String(user.id),
      role: "USER",
      iss: "urn:authlab",
      aud: "urn:authlab:api",
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      token_type: "Bearer",
    });
  });

  it("a DPoP-bound token: token_type DPoP and its cnf", async () => {
    const key = await proofKey();
    const c = new Client(server.url);
    const signup = await c.post(
      "/api/auth/signup",
      { email: uniqueEmail("bound"), password: GOOD_PASSWORD },
      { headers: { dpop: await makeProof(key, { htm: "POST", htu: `${server.url}/api/auth/signup` }) } },
    );
    const response = await introspect(signup.body.accessToken);
    expect(response.body).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } });
  });

  it("expired, forged, malformed, unknown, refresh tokens and session-ended tokens: {active:false}", async () => {
    const c = new Client(server.url);
    const { accessToken } = await signUp(c);
    const refreshToken = c.cookie("authlab_refresh")!.value;
    const key = serverSigningKey(server);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await signWithKey(key, validClaims({ iat: past, exp: past + 60 }));
    const [h, p] = accessToken.split(".");
    for (const token of [expired, `${h}.${p}.AAAA`, "not a token", "x".repeat(5000), refreshToken]) {
      const response = await introspect(token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ active: false });
    }
    // The strict check's semantics: the token still verifies, but its session has ended.
    expect((await introspect(accessToken)).body.active).toBe(true);
    expect((await c.post("/api/auth/logout")).status).toBe(204);
    expect((await introspect(accessToken)).body).toEqual({ active: false });
  });

  it("no credentials, a wrong secret, an unknown client, a malformed Basic header: 401 invalid_client", async () => {
    const { accessToken } = await signUp(new Client(server.url));
    expectInvalidClient(await introspect(accessToken, {}));
    expectInvalidClient(await introspect(accessToken, { authorization: basic(CLIENT_ID, `${CLIENT_SECRET}x`) }));
    expectInvalidClient(await introspect(accessToken, { authorization: basic("nobody", CLIENT_SECRET) }));
    expectInvalidClient(await introspect(accessToken, { authorization: basic(OTHER_ID, CLIENT_SECRET) }));
    expectInvalidClient(await introspect(accessToken, { authorization: "Basic %%%" }));
    expectInvalidClient(await introspect(accessToken, { authorization: basic(CLIENT_ID, "") }));
    // The other configured client works with its own secret (form-encoded per RFC 6749 §2.3.1).
    expect((await introspect(accessToken, { authorization: basic(OTHER_ID, OTHER_SECRET) })).body.active).toBe(true);
  });

  it("an admin's access token may introspect; a user's may not (403); a bad one is invalid_token", async () => {
    const admin = new Client(server.url);
    const { email } = await signUp(admin);
    await setRole(server.database, email, "ADMIN");
    const login = await admin.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const adminToken = login.body.accessToken as string;
    const { accessToken: userToken } = await signUp(new Client(server.url));

    const asAdmin = await introspect(userToken, { authorization: `Bearer ${adminToken}` });
    expect(asAdmin.body).toMatchObject({ active: true, role: "USER" });
    const asUser = await introspect(adminToken, { authorization: `Bearer ${userToken}` });
    expect(asUser.status).toBe(403);
    expect(asUser.body.error).toBe("insufficient_scope");
    const forged = await introspect(userToken, { authorization: `Bearer ${adminToken.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toBe("invalid_token");
  });

  it("an admin's DPoP-bound token introspects with its proof (POST to this endpoint)", async () => {
    const key = await proofKey();
    const c = new Client(server.url);
    const { email } = await signUp(c);
    await setRole(server.database, email, "ADMIN");
    const login = await c.post(
      "/api/auth/login",
      { email, password: GOOD_PASSWORD },
      { headers: { dpop: await makeProof(key, { htm: "POST", htu: `${server.url}/api/auth/login` }) } },
    );
    const adminToken = login.body.accessToken as string;
    const proof = await makeProof(key, {
      htm: "POST",
      htu: `${server.url}/api/auth/introspect`,
      accessToken: adminToken,
    });
    const response = await introspect(adminToken, dpopHeaders(adminToken, proof));
    expect(response.body).toMatchObject({ active: true, token_type: "DPoP", role: "ADMIN" });
  });

  it("wrong media type 415, no token 400, a parameter twice 400", async () => {
    const { accessToken } = await signUp(new Client(server.url));
    const json = await new Client(server.url).request("/api/auth/introspect", {
      method: "POST",
      json: { token: accessToken },
      headers: AS_CLIENT,
    });
    expect(json.status).toBe(415);
    const empty = await post("/api/auth/introspect", "", AS_CLIENT);
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: "invalid_request", field: "token" });
    const twice = await post("/api/auth/introspect", `token=${accessToken}&token=x`, AS_CLIENT);
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe("invalid_request");
    expect((await new Client(server.url).get("/api/auth/introspect")).status).toBe(405);
  });

  it("the secret never reaches the log", () => {
    expect(server.logs()).not.toContain(CLIENT_SECRET);
  });
});

describe("POST /api/auth/revoke (RFC 7009)", () => {
  it("unknown, malformed and forged tokens: 200 with an empty body", async () => {
    for (const token of ["unknown", "a.b.c", "x".repeat(3000)]) {
      const response = await revoke({ token });
      expect(response.status).toBe(200);
      expect(response.text).toBe("");
    }
    const hinted = await revoke({ token: "unknown", token_type_hint: "refresh_token" });
    expect(hinted.status).toBe(200);
    const strangeHint = await revoke({ token: "unknown", token_type_hint: "id_token" });
    expect(strangeHint.status).toBe(200);
  });

  it("an access token: denied by the strict check and inactive at introspection, until its exp", async () => {
    const c = new Client(server.url);
    const { accessToken } = await signUp(c);
    expect((await c.get("/api/me/strict", { bearer: accessToken })).status).toBe(200);
    const response = await revoke({ token: accessToken, token_type_hint: "access_token" });
    expect(response.status).toBe(200);
    expect(response.text).toBe("");

    const strict = await c.get("/api/me/strict", { bearer: accessToken });
    expect(strict.status).toBe(401);
    expect(strict.body).toMatchObject({ error: "invalid_token", reason: "revoked", layer: "node-strict-check" });
    expect((await introspect(accessToken)).body).toEqual({ active: false });
    // The Edge check needs no state: the token works where no strict check runs, until exp.
    expect((await c.get("/api/me", { bearer: accessToken })).status).toBe(200);
    // The session and its other tokens are untouched.
    const refreshed = await c.post("/api/auth/refresh");
    expect(refreshed.status).toBe(200);
    expect((await c.get("/api/me/strict", { bearer: refreshed.body.accessToken })).status).toBe(200);
    // Revoking again is fine, and keyed on jti: one row.
    expect((await revoke({ token: accessToken })).status).toBe(200);
    expect(await countRows(server.database, "RevokedAccessToken", "jti", decodeJwt(accessToken).payload.jti)).toBe(1);
  });

  it("a refresh token: its family ends — no refresh, and the strict check refuses its access tokens", async () => {
    const c = new Client(server.url);
    const { accessToken, user } = await signUp(c);
    const refreshToken = c.cookie("authlab_refresh")!.value;
    const response = await revoke({ token: refreshToken, token_type_hint: "refresh_token" });
    expect(response.status).toBe(200);
    expect((await refreshFamilies(server.database, user.id))[0]).toMatchObject({
      revoked: true,
      revokedReason: "token_revoked",
    });
    const refreshed = await c.post("/api/auth/refresh");
    expect(refreshed.body).toMatchObject({ error: "invalid_grant", reason: "revoked" });
    expect((await c.get("/api/me/strict", { bearer: accessToken })).body.reason).toBe("revoked");
    expect((await introspect(accessToken)).body).toEqual({ active: false });
  });

  it("a confidential client may authenticate; wrong credentials are 401 invalid_client", async () => {
    const { accessToken } = await signUp(new Client(server.url));
    expect((await revoke({ token: accessToken }, AS_CLIENT)).status).toBe(200);
    expectInvalidClient(await revoke({ token: accessToken }, { authorization: basic(CLIENT_ID, "wrong") }));
    expectInvalidClient(await revoke({ token: accessToken }, { authorization: `Bearer ${accessToken}` }));
  });

  it("no token parameter: 400 invalid_request", async () => {
    const response = await revoke({ token_type_hint: "access_token" });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: "invalid_request", field: "token" });
  });
});

describe("rate limits", () => {
  let limited: AppServer;
  beforeAll(async () => {
    limited = await startAppServer({
      database: server.database,
      env: { INTROSPECTION_CLIENTS: `${CLIENT_ID}:${CLIENT_SECRET}`, INSTANCE_ID: "token-endpoints-limits" },
    });
  });
  afterAll(async () => {
    await limited?.dispose();
  });

  it("failed client authentications from one address: 429 after 20, then even the right secret waits", async () => {
    const attempt = (authorization: string) =>
      new Client(limited.url).request("/api/auth/introspect", {
        method: "POST",
        body: form({ token: "x" }),
        headers: { "content-type": "application/x-www-form-urlencoded", authorization },
        sameOrigin: false,
      });
    const answers: number[] = [];
    for (let i = 0; i < 21; i++) answers.push((await attempt(basic(CLIENT_ID, `guess-${i}`))).status);
    expect(answers.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(answers[20]).toBe(429);
    const right = await attempt(basic(CLIENT_ID, CLIENT_SECRET));
    expect(right.status).toBe(429);
    expect(right.body.error).toBe("rate_limited");
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("anonymous revocations from one address: 429 after 60 a minute", async () => {
    const answers: number[] = [];
    for (let i = 0; i < 61; i++) {
      const response = await new Client(limited.url).request("/api/auth/revoke", {
        method: "POST",
        body: form({ token: `unknown-${i}` }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        sameOrigin: false,
      });
      answers.push(response.status);
    }
    expect(answers.slice(0, 60)).toEqual(Array(60).fill(200));
    expect(answers[60]).toBe(429);
  });
});
