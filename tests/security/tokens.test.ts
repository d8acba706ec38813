/**
 * Tokens an attacker (or a confused client) would send, against a real production server: every
 * RFC 8725 rule, RFC 6750 error responses, and attempts to skip the Edge verification altogether.
 */
import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import type { TokenRejectionReason } from "@/lib/edge/errors";
import { useAppServer } from "../helpers/use-app-server";
import { Client, signUp } from "../helpers/http-client";
import { freePort } from "../helpers/ports";
import {
  assemble,
  b64url,
  expectInvalidToken as expectInvalidTokenAt,
  hs256,
  publicPem,
  serverSigningKey,
  signRawEs256,
  signWithKey,
  strangerKey,
  validClaims,
} from "../helpers/tokens";

const server = useAppServer();
let ourKey: ReturnType<typeof serverSigningKey>;
beforeAll(() => {
  ourKey = serverSigningKey(server);
});

const client = () => new Client(server.url);
const BARE_CHALLENGES = 'Bearer realm="authlab", DPoP algs="ES256 EdDSA Ed25519"';
const expectInvalidToken = (token: string, reason?: TokenRejectionReason) =>
  expectInvalidTokenAt(client(), token, { reason });

describe("RFC 6750 responses", () => {
  it("no token → 401 with bare Bearer and DPoP challenges and no error code in them", async () => {
    const response = await client().get("/api/me");
    expect(response.status).toBe(401);
    // RFC 9449 §7.2: a server that accepts both schemes offers both.
    expect(response.headers.get("www-authenticate")).toBe(BARE_CHALLENGES);
    expect(response.body).toMatchObject({ error: "missing_token", error_description: expect.any(String) });
  });

  it("another scheme counts as no Bearer token", async () => {
    const response = await client().get("/api/me", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(BARE_CHALLENGES);
  });

  it.each([["Bearer"], ["Bearer "], ["Bearer a b"], ["Bearer  a,b"]])(
    "malformed %j → 400 invalid_request",
    async (value) => {
      const response = await client().get("/api/me", { headers: { authorization: value } });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe("invalid_request");
    },
  );

  it("an oversized token is refused with 401, an oversized header block with 431 — never a 5xx", async () => {
    await expectInvalidToken("a".repeat(5000) + ".b.c", "too_long");
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
    await expectInvalidToken(assemble({ ...header(), alg }, claims), "algorithm_not_allowed");
    await expectInvalidToken(assemble({ ...header(), alg }, claims, "AA"), "algorithm_not_allowed");
  });

  it("a null signature on a real header and payload", async () => {
    const { accessToken } = await signUp(client());
    const [h, p] = accessToken.split(".");
    await expectInvalidToken(`${h}.${p}.`, "bad_signature");
  });

  it("an ES256 signature of 64 zero bytes (CVE-2022-21449, 'psychic signatures')", async () => {
    await expectInvalidToken(assemble(header(), validClaims(), b64url(new Uint8Array(64))), "bad_signature");
  });

  it("HS256 keyed with our public key as PEM, as JWK JSON, and with blank and common secrets", async () => {
    const jwks = (await client().get("/.well-known/jwks.json")).body;
    const jwk = jwks.keys[0];
    const hsHeader = { alg: "HS256", kid: ourKey.kid, typ: "at+jwt" };
    for (const secret of [
      publicPem(jwk),
      JSON.stringify(jwk),
      JSON.stringify(jwks),
      "",
      "secret",
      "authlab",
      "changeme",
    ]) {
      await expectInvalidToken(hs256(hsHeader, validClaims({ role: "ADMIN" }), secret), "algorithm_not_allowed");
    }
  });

  it("a token signed by a stranger's key with an embedded jwk header", async () => {
    const stranger = await strangerKey();
    const token = await new SignJWT(validClaims({ role: "ADMIN" }))
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: ourKey.kid, jwk: stranger.publicJwk as never })
      .sign(stranger.privateKey);
    await expectInvalidToken(token, "unknown_key");
    const noKid = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", jwk: stranger.publicJwk as never })
      .sign(stranger.privateKey);
    await expectInvalidToken(noKid, "unknown_key");
    const plain = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: ourKey.kid })
      .sign(stranger.privateKey);
    await expectInvalidToken(plain, "bad_signature");
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
      for (const extra of [
        { jku: `http://127.0.0.1:${port}/jwks.json` },
        { x5u: `http://127.0.0.1:${port}/cert.pem` },
        { jku: `http://127.0.0.1:${port}/j`, kid: "attacker" },
      ]) {
        const token = await new SignJWT(validClaims())
          .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: ourKey.kid, ...extra })
          .sign(stranger.privateKey);
        await expectInvalidToken(token, "unknown_key");
      }
      expect(hits).toBe(0);
    } finally {
      listener.close();
    }
  });

  it.each([
    "../../../../etc/passwd",
    "' OR '1'='1",
    "1; DROP TABLE User; --",
    "$(touch /tmp/authlab-pwned)",
    "`id`",
    "\u0000",
    "x".repeat(300),
  ])("kid %j selects nothing", async (kid) => {
    await expectInvalidToken(await signWithKey(ourKey, validClaims(), { kid }), "unknown_key");
  });

  it.each(["ES384", "RS256", "PS256", "EdDSA"] as const)("a %s token (not our key's algorithm)", async (alg) => {
    const stranger = await strangerKey(alg);
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg, typ: "at+jwt", kid: ourKey.kid })
      .sign(stranger.privateKey);
    await expectInvalidToken(token);
  });

  it("a tampered payload with the original signature", async () => {
    const { accessToken } = await signUp(client());
    const [h, p, s] = accessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    await expectInvalidToken(`${h}.${b64url({ ...claims, role: "ADMIN" })}.${s}`, "bad_signature");
    await expectInvalidToken(`${h}.${b64url({ ...claims, sub: "1" })}.${s}`, "bad_signature");
  });

  it("a refresh token, or a token for another audience, used as an access token", async () => {
    const c = client();
    await signUp(c);
    await expectInvalidToken(c.cookie("authlab_refresh")!.value, "malformed");
    await expectInvalidToken(await signWithKey(ourKey, validClaims({ aud: "urn:someone-else" })), "wrong_audience");
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, () => object, TokenRejectionReason]>([
    ["expired beyond the clock tolerance", () => validClaims({ iat: now() - 700, exp: now() - 60 }), "expired"],
    ["not valid yet (nbf in the future)", () => validClaims({ nbf: now() + 120 }), "not_yet_valid"],
    ["issued in the future", () => validClaims({ iat: now() + 3600, exp: now() + 3900 }), "not_yet_valid"],
    ["wrong issuer", () => validClaims({ iss: "https://evil.example" }), "wrong_issuer"],
    ["wrong audience", () => validClaims({ aud: "urn:authlab:other" }), "wrong_audience"],
    ["no sid", () => ({ ...validClaims(), sid: undefined }), "claim_invalid"],
    ["no jti", () => ({ ...validClaims(), jti: undefined }), "claim_invalid"],
    ["no role", () => ({ ...validClaims(), role: undefined }), "claim_invalid"],
    ["an unknown role", () => validClaims({ role: "ROOT" }), "claim_invalid"],
    ["a sub that is not a user id", () => validClaims({ sub: "admin" }), "claim_invalid"],
    ["a lifetime over 15 minutes", () => validClaims({ exp: now() + 3600 }), "claim_invalid"],
  ])("a correctly signed token with %s", async (_label, claims, reason) => {
    await expectInvalidToken(await signWithKey(ourKey, claims() as Record<string, unknown>), reason);
  });

  it.each([["JWT"], ["id_token+jwt"], [undefined]])(
    "a correctly signed token with typ %j (not at+jwt)",
    async (typ) => {
      await expectInvalidToken(await signWithKey(ourKey, validClaims(), { typ } as never), "wrong_type");
    },
  );

  it("accepts the same token with the right claims (the cases above fail for their own reason)", async () => {
    const response = await client().get("/api/me", { bearer: await signWithKey(ourKey, validClaims()) });
    expect(response.status).toBe(200);
  });
});

describe("requests that try to skip verification", () => {
  it("client-sent identity headers mean nothing: without a token they grant nothing, with one they change nothing", async () => {
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
    for (const value of [
      "middleware",
      "middleware:middleware:middleware:middleware:middleware",
      "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
    ]) {
      const response = await client().get("/api/me", { headers: { "x-middleware-subrequest": value } });
      expect(response.status).toBe(401);
    }
  });

  it.each([
    "/API/me",
    "/Api/Me",
    "/api/me/",
    "//api/me",
    "/api//me",
    "/api/%6de",
    "/api/me%2F",
    "/api/./me",
    "/api/health/../me",
    "/api/auth/..%2Fme",
    "/api/me.json",
    "/api/admin/../me",
    "/api/noop/../me",
  ])("path variant %s cannot reach a protected handler unverified", async (path) => {
    const response = await fetch(`${server.url}${path}`, { redirect: "manual" });
    expect([301, 308, 400, 401, 404]).toContain(response.status);
    if (response.status === 200) throw new Error(`${path} answered 200 without a token`);
  });
});

describe("headers beyond the token itself", () => {
  it("a crit header the server does not understand is refused", async () => {
    const header = { alg: "ES256", kid: ourKey.kid, typ: "at+jwt" };
    await expectInvalidToken(
      await signRawEs256(ourKey, { ...header, crit: ["x-unknown"], "x-unknown": true }, validClaims()),
    );
    await expectInvalidToken(await signRawEs256(ourKey, { ...header, crit: ["b64"], b64: false }, validClaims()));
    // The same raw signing with a plain header verifies, so the refusals above are about crit.
    expect((await client().get("/api/me", { bearer: await signRawEs256(ourKey, header, validClaims()) })).status).toBe(
      200,
    );
  });

  it("a JWE (five parts) or a token with extra segments is malformed, not a 5xx", async () => {
    await expectInvalidToken("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..iv.ciphertext.tag");
    await expectInvalidToken("a.b.c.d");
  });

  it("header and payload that are not JSON objects are malformed", async () => {
    await expectInvalidToken(`${b64url("[]")}.${b64url("{}")}.AAAA`);
    await expectInvalidToken(`${b64url("not json")}.${b64url("null")}.AAAA`);
  });

  it("a second Authorization header does not smuggle a token past the first", async () => {
    const { accessToken } = await signUp(client());
    const response = await fetch(`${server.url}/api/me`, {
      headers: [
        ["authorization", "Bearer not.a.token"],
        ["authorization", `Bearer ${accessToken}`],
      ],
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it("a quoted or percent-encoded token is not decoded into a valid one", async () => {
    const { accessToken } = await signUp(client());
    const quoted = await client().get("/api/me", { headers: { authorization: `Bearer "${accessToken}"` } });
    expect(quoted.status).toBe(400);
    const encoded = await client().get("/api/me", {
      headers: { authorization: `Bearer ${accessToken.replace(/\./g, "%2E")}` },
    });
    expect(encoded.status).toBe(400);
  });
});

describe("the API answers every failure in JSON", () => {
  it("an unsupported method is a JSON 405 with Allow", async () => {
    const response = await client().request("/api/auth/login", { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.body.error).toBe("method_not_allowed");
    expect(response.headers.get("allow")).toContain("POST");
  });

  it("a malformed percent-encoding in the path is a JSON 400, not a 5xx", async () => {
    for (const path of ["/api/sessions/%ZZ", "/api/me%", "/%E0%A4%A"]) {
      const response = await client().get(path);
      expect(response.status, path).toBe(400);
      expect(response.body.error, path).toBe("invalid_request");
    }
  });

  it("an unknown endpoint behind a valid token is a JSON 404", async () => {
    const { accessToken } = await signUp(client());
    const response = await client().get("/api/no-such-thing", { bearer: accessToken });
    expect(response.status).toBe(404);
    expect(response.body.error).toBe("not_found");
  });
});
