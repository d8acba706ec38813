/**
 * DPoP (RFC 9449) attacked against a real production server: every check of
 * §4.3 broken one at a time, proofs an attacker would make (private keys, `none`, HMAC, oversized,
 * malformed, two headers), a bound token sent as Bearer, replays on the same instance and — for
 * state-changing requests — on another instance sharing the database (and Redis). Every refusal is
 * a 401 (400 at a token endpoint, RFC 9449 §5), never a 5xx, and names the rule that failed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, base64url } from "jose";
import http from "node:http";
import type { DpopProofProblem } from "@/lib/edge/errors";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { useAppServer } from "../helpers/use-app-server";
import { Client, GOOD_PASSWORD, uniqueEmail, type ApiResponse } from "../helpers/http-client";
import { countRows, execute, storedTime } from "../helpers/db";
import { requestWithHost, type RawResponse } from "../helpers/raw-http";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { requireBinary } from "../helpers/system";
import { assemble, b64url, decodeJwt, serverSigningKey, signWithKey } from "../helpers/tokens";
import { dpopHeaders, makeProof, proofKey, type ProofKey, type ProofOptions } from "../helpers/dpop";
import { GATE_LAYER } from "../helpers/gate";

const server = useAppServer({ env: { SESSION_SWEEP_INTERVAL_SECONDS: "1", INSTANCE_ID: "dpop-a" } });
const WINDOW_SECONDS = 60;
const ALGS = 'algs="ES256 EdDSA Ed25519"';

let owner: ProofKey;
let thief: ProofKey;
beforeAll(async () => {
  [owner, thief] = await Promise.all([proofKey(), proofKey()]);
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A new account signed up with a proof by `key`: its access token and refresh family are bound to the key. */
async function boundAccount(app: AppServer, key: ProofKey) {
  const c = new Client(app.url);
  const proof = await makeProof(key, { htm: "POST", htu: `${app.url}/api/auth/signup` });
  const response = await c.post(
    "/api/auth/signup",
    { email: uniqueEmail("dpop"), password: GOOD_PASSWORD },
    { headers: { dpop: proof } },
  );
  expect(response.status, response.text).toBe(201);
  return { c, accessToken: response.body.accessToken as string, body: response.body };
}

/** GET `path` with the DPoP scheme and a proof made with these options (defaults: a valid proof). */
async function dpopGet(
  app: AppServer,
  accessToken: string,
  options: Partial<ProofOptions> & { key?: ProofKey; path?: string } = {},
): Promise<ApiResponse> {
  const path = options.path ?? "/api/me";
  const proof = await makeProof(options.key ?? owner, {
    htm: "GET",
    htu: `${app.url}${path}`,
    accessToken,
    ...options,
  });
  return new Client(app.url).get(path, { headers: dpopHeaders(accessToken, proof) });
}

/** A refresh request — proof and cookie as the browser sent them to `origin` — replayed at `target`. */
function replayRefresh(target: AppServer, origin: AppServer, proof: string, cookie: string): Promise<RawResponse> {
  return requestWithHost(`${target.url}/api/auth/refresh`, `127.0.0.1:${origin.port}`, {
    method: "POST",
    headers: { dpop: proof, cookie, origin: origin.url },
  });
}

function expectProofRefused(response: ApiResponse, problem: DpopProofProblem) {
  expect(response.status, response.text).toBe(401);
  expect(response.body).toMatchObject({ error: "invalid_token", reason: "dpop_invalid", proof: problem });
  const challenge = problem === "not_bound" ? "invalid_token" : "invalid_dpop_proof";
  expect(response.headers.get("www-authenticate")).toMatch(
    new RegExp(`^DPoP error="${challenge}", error_description=".+", ${ALGS}$`),
  );
}

describe("binding at login, sign-up and refresh (RFC 9449 §5)", () => {
  it("a sign-up or login with a proof gets a DPoP token bound to the key: cnf.jkt is its thumbprint", async () => {
    const { c, body } = await boundAccount(server, owner);
    expect(body.tokenType).toBe("DPoP");
    expect(decodeJwt(body.accessToken).payload.cnf).toEqual({ jkt: owner.jkt });

    const login = await c.post(
      "/api/auth/login",
      { email: body.user.email, password: GOOD_PASSWORD },
      { headers: { dpop: await makeProof(thief, { htm: "POST", htu: `${server.url}/api/auth/login` }) } },
    );
    expect(login.status, login.text).toBe(200);
    expect(login.body.tokenType).toBe("DPoP");
    expect(decodeJwt(login.body.accessToken).payload.cnf).toEqual({ jkt: thief.jkt });
  });

  it("a bound family refreshes only with a proof by its key; refused refreshes keep the cookie", async () => {
    const { c } = await boundAccount(server, owner);
    const refreshUrl = `${server.url}/api/auth/refresh`;
    const cookieBefore = c.cookie("authlab_refresh")!.value;

    const bare = await c.post("/api/auth/refresh");
    expect(bare.status).toBe(401);
    expect(bare.body).toMatchObject({ error: "invalid_grant", reason: "dpop_required" });
    const stranger = await c.post("/api/auth/refresh", undefined, {
      headers: { dpop: await makeProof(thief, { htm: "POST", htu: refreshUrl }) },
    });
    expect(stranger.status).toBe(401);
    expect(stranger.body).toMatchObject({ error: "invalid_grant", reason: "dpop_key_mismatch" });
    expect(c.cookie("authlab_refresh")?.value).toBe(cookieBefore);

    const good = await c.post("/api/auth/refresh", undefined, {
      headers: { dpop: await makeProof(owner, { htm: "POST", htu: refreshUrl }) },
    });
    expect(good.status, good.text).toBe(200);
    expect(good.body.tokenType).toBe("DPoP");
    expect(decodeJwt(good.body.accessToken).payload.cnf).toEqual({ jkt: owner.jkt });
  });

  it("a family started without DPoP is bound by the first refresh with a proof, and stays bound", async () => {
    const c = new Client(server.url);
    const signup = await c.post("/api/auth/signup", { email: uniqueEmail("upgrade"), password: GOOD_PASSWORD });
    expect(signup.body.tokenType).toBe("Bearer");
    expect(decodeJwt(signup.body.accessToken).payload.cnf).toBeUndefined();
    const refreshUrl = `${server.url}/api/auth/refresh`;

    const bound = await c.post("/api/auth/refresh", undefined, {
      headers: { dpop: await makeProof(owner, { htm: "POST", htu: refreshUrl }) },
    });
    expect(bound.status).toBe(200);
    expect(bound.body.tokenType).toBe("DPoP");
    const downgrade = await c.post("/api/auth/refresh");
    expect(downgrade.body).toMatchObject({ error: "invalid_grant", reason: "dpop_required" });
  });

  it("a bad proof at a token endpoint is 400 invalid_dpop_proof naming the rule; a replayed one too", async () => {
    const { c } = await boundAccount(server, owner);
    const wrongPath = await c.post("/api/auth/refresh", undefined, {
      headers: { dpop: await makeProof(owner, { htm: "POST", htu: `${server.url}/api/auth/login` }) },
    });
    expect(wrongPath.status).toBe(400);
    expect(wrongPath.body).toMatchObject({ error: "invalid_dpop_proof", reason: "dpop_invalid", proof: "htu" });

    const proof = await makeProof(owner, { htm: "POST", htu: `${server.url}/api/auth/refresh` });
    expect((await c.post("/api/auth/refresh", undefined, { headers: { dpop: proof } })).status).toBe(200);
    const replay = await c.post("/api/auth/refresh", undefined, { headers: { dpop: proof } });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: "invalid_dpop_proof", reason: "dpop_invalid", proof: "replayed" });
  });
});

describe("a DPoP-bound token at a resource (RFC 9449 §7)", () => {
  let token: string;
  beforeAll(async () => {
    ({ accessToken: token } = await boundAccount(server, owner));
  });

  it("with a fresh proof by its key: 200, checked by the gate and again in the handler", async () => {
    const response = await dpopGet(server, token);
    expect(response.status, response.text).toBe(200);
    expect(response.body.claims.cnf).toEqual({ jkt: owner.jkt });
    expect(response.headers.get("x-authlab-layer")).toBe("node-handler");
    expect(response.headers.get("x-authlab-gate-timing")).toMatch(/gateDpop;dur=/);
    expect(response.headers.get("server-timing")).toMatch(/dpop;dur=/);
    // The scheme name is case-insensitive (RFC 9110 §11.1); an Ed25519 key works as well as ES256.
    const lower = await makeProof(owner, { htm: "GET", htu: `${server.url}/api/me`, accessToken: token });
    expect(
      (await new Client(server.url).get("/api/me", { headers: { authorization: `dpop ${token}`, dpop: lower } }))
        .status,
    ).toBe(200);
  });

  it("an Ed25519 key (alg EdDSA) binds and proves as well as ES256", async () => {
    const edKey = await proofKey("EdDSA");
    const { accessToken } = await boundAccount(server, edKey);
    expect((await dpopGet(server, accessToken, { key: edKey })).status).toBe(200);
  });

  it("sent as Bearer: 401 invalid_token, reason dpop_required, and a DPoP challenge", async () => {
    const response = await new Client(server.url).get("/api/me", { bearer: token });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: "invalid_token", reason: "dpop_required", layer: GATE_LAYER });
    expect(response.headers.get("www-authenticate")).toMatch(new RegExp(`^DPoP error="invalid_token", .*${ALGS}$`));
  });

  it("without a DPoP header, or as DPoP while not bound: refused", async () => {
    expectProofRefused(
      await new Client(server.url).get("/api/me", { headers: { authorization: `DPoP ${token}` } }),
      "missing",
    );
    const c = new Client(server.url);
    const unbound = (await c.post("/api/auth/signup", { email: uniqueEmail("plain"), password: GOOD_PASSWORD })).body
      .accessToken as string;
    expectProofRefused(await dpopGet(server, unbound), "not_bound");
  });

  it("wrong htm", async () => {
    expectProofRefused(await dpopGet(server, token, { htm: "POST" }), "htm");
    expectProofRefused(await dpopGet(server, token, { htm: "get" }), "htm");
  });

  it.each([
    ["another path", "/api/me/strict"],
    ["another host", "http://evil.example/api/me"],
    ["another scheme", "https://127.0.0.1:{port}/api/me"],
    ["another port", "http://127.0.0.1:1/api/me"],
    ["userinfo", "http://user@127.0.0.1:{port}/api/me"],
    ["not a URL", "/api/me"],
  ])("wrong htu: %s", async (_, htu) => {
    const value = htu.replace("{port}", String(server.port));
    expectProofRefused(await dpopGet(server, token, { htu: value }), "htu");
  });

  it.each([
    ["a query", "{url}/api/me?x=1"],
    ["a fragment", "{url}/api/me#top"],
    ["an upper-case scheme and host", "HTTP://127.0.0.1:{port}/api/me"],
    ["percent-encoded unreserved characters", "{url}/api/%6De"],
  ])("htu with %s matches after normalisation (RFC 3986 §6.2.2)", async (_, htu) => {
    const value = htu.replace("{url}", server.url).replace("{port}", String(server.port));
    const response = await dpopGet(server, token, { htu: value });
    expect(response.status, response.text).toBe(200);
  });

  it("wrong or missing ath", async () => {
    expectProofRefused(await dpopGet(server, token, { accessToken: `${token}x` }), "ath");
    expectProofRefused(await dpopGet(server, token, { claims: { ath: undefined } }), "ath");
  });

  it("a proof by another key (the thief's): key_mismatch", async () => {
    expectProofRefused(await dpopGet(server, token, { key: thief }), "key_mismatch");
  });

  it(`iat more than ${WINDOW_SECONDS} s old or ahead is refused; inside the window it passes`, async () => {
    expectProofRefused(await dpopGet(server, token, { iat: nowSeconds() - WINDOW_SECONDS - 5 }), "iat");
    expectProofRefused(await dpopGet(server, token, { iat: nowSeconds() + WINDOW_SECONDS + 5 }), "iat");
    expectProofRefused(await dpopGet(server, token, { iat: "1" as never }), "iat");
    expect((await dpopGet(server, token, { iat: nowSeconds() - WINDOW_SECONDS + 10 })).status).toBe(200);
    expect((await dpopGet(server, token, { iat: nowSeconds() + WINDOW_SECONDS - 10 })).status).toBe(200);
  });

  it("the same proof twice on one instance: the second is refused as replayed", async () => {
    const proof = await makeProof(owner, { htm: "GET", htu: `${server.url}/api/me`, accessToken: token });
    const c = new Client(server.url);
    expect((await c.get("/api/me", { headers: dpopHeaders(token, proof) })).status).toBe(200);
    const replay = await c.get("/api/me", { headers: dpopHeaders(token, proof) });
    expectProofRefused(replay, "replayed");
    expect(replay.body.layer).toBe(GATE_LAYER);
    // A new proof (new jti) with the same key and token is fine.
    expect((await dpopGet(server, token)).status).toBe(200);
  });

  it.each([
    ["d (the private key)", (k: ProofKey) => ({ ...k.publicJwk, d: k.privateJwk.d })],
    ["a garbage d", (k: ProofKey) => ({ ...k.publicJwk, d: "AAAA" })],
    ["a kid beside d", (k: ProofKey) => ({ ...k.publicJwk, kid: "1", d: k.privateJwk.d })],
    ["an RSA private member", (k: ProofKey) => ({ ...k.publicJwk, p: "AAAA" })],
    ["a symmetric key's k", (k: ProofKey) => ({ ...k.publicJwk, k: "AAAA" })],
    ['key_ops ["sign"] (what only a private key does)', (k: ProofKey) => ({ ...k.publicJwk, key_ops: ["sign"] })],
    ['use "enc"', (k: ProofKey) => ({ ...k.publicJwk, use: "enc" })],
    ["an alg other than the proof's", (k: ProofKey) => ({ ...k.publicJwk, alg: "RS256" })],
    ["a kid that is not a string", (k: ProofKey) => ({ ...k.publicJwk, kid: 1 })],
    ["another curve's name", (k: ProofKey) => ({ ...k.publicJwk, crv: "P-384" })],
    ["an OKP key type", (k: ProofKey) => ({ ...k.publicJwk, kty: "OKP" })],
    ["a point not on the curve", (k: ProofKey) => ({ ...k.publicJwk, x: b64url(Buffer.alloc(32, 1)) })],
    ["a short coordinate", (k: ProofKey) => ({ ...k.publicJwk, x: "AAAA" })],
    ["a string", () => "key"],
    ["nothing", () => undefined],
  ])("jwk with %s: refused before jose sees it", async (_, jwk) => {
    expectProofRefused(await dpopGet(server, token, { header: { jwk: jwk(owner) } }), "jwk");
  });

  it("the whole private JWK in jwk (as some broken clients send): refused", async () => {
    expectProofRefused(await dpopGet(server, token, { header: { jwk: owner.privateJwk } }), "jwk");
  });

  // RFC 9449 §4.3 check 7 forbids private members only; RFC 7517 §4 lets a public key carry kid, alg,
  // use and key_ops, and WebCrypto's exportKey adds ext and key_ops. The key is still the same key: the
  // thumbprint (RFC 7638) covers only the required members, so cnf.jkt matches whatever else travels.
  it.each([
    ["a kid", (k: ProofKey) => ({ ...k.publicJwk, kid: "device-1" })],
    ['alg "ES256"', (k: ProofKey) => ({ ...k.publicJwk, alg: "ES256" })],
    ['use "sig"', (k: ProofKey) => ({ ...k.publicJwk, use: "sig" })],
    ["WebCrypto's export (ext, key_ops verify)", (k: ProofKey) => ({ ...k.publicJwk, ext: true, key_ops: ["verify"] })],
  ])("jwk with %s besides the public key: accepted", async (_, jwk) => {
    const response = await dpopGet(server, token, { header: { jwk: jwk(owner) } });
    expect(response.status, response.text).toBe(200);
  });

  it("typ JWT (an access token's, not a proof's): refused", async () => {
    expectProofRefused(await dpopGet(server, token, { header: { typ: "JWT" } }), "typ");
    expectProofRefused(await dpopGet(server, token, { header: { typ: "at+jwt" } }), "typ");
    expectProofRefused(await dpopGet(server, token, { header: { typ: undefined } }), "typ");
  });

  // RFC 7515 §4.1.9: typ is a media type, compared case-insensitively, "application/" prefix optional.
  it.each(["DPOP+JWT", "DPoP+JWT", "application/dpop+jwt"])("typ %s: the same media type, accepted", async (typ) => {
    const response = await dpopGet(server, token, { header: { typ } });
    expect(response.status, response.text).toBe(200);
  });

  it("alg none, an HMAC proof, RS256 and an EC key claiming EdDSA are refused by algorithm", async () => {
    const claims = { htm: "GET", htu: `${server.url}/api/me`, iat: nowSeconds(), jti: "none-1", ath: "x" };
    const none = assemble({ alg: "none", typ: "dpop+jwt", jwk: owner.publicJwk }, claims);
    const send = (proof: string) => new Client(server.url).get("/api/me", { headers: dpopHeaders(token, proof) });
    expectProofRefused(await send(none), "alg");
    expectProofRefused(await send(`${none.slice(0, -1)}.AAAA`), "alg");
    const secret = new Uint8Array(32);
    const oct = { kty: "oct", k: base64url.encode(secret) };
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: oct as never })
      .sign(secret);
    expectProofRefused(await send(hmac), "alg");
    expectProofRefused(await dpopGet(server, token, { header: { alg: "RS256" } }), "alg");
    expectProofRefused(await dpopGet(server, token, { header: { alg: "EdDSA" } }), "jwk");
  });

  it("a signature that does not verify, or a non-canonical one", async () => {
    const proof = await makeProof(owner, { htm: "GET", htu: `${server.url}/api/me`, accessToken: token });
    const [h, p, s] = proof.split(".") as [string, string, string];
    const flipped = `${s.slice(0, 10)}${s[10] === "A" ? "B" : "A"}${s.slice(11)}`;
    const send = (value: string) => new Client(server.url).get("/api/me", { headers: dpopHeaders(token, value) });
    expectProofRefused(await send(`${h}.${p}.${flipped}`), "signature");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet[alphabet.indexOf(s.at(-1)!) ^ 1]!;
    expectProofRefused(await send(`${h}.${p}.${s.slice(0, -1)}${last}`), "malformed");
  });

  it.each([
    ["jti missing", { jti: undefined }, "claims"],
    ["jti too long", { jti: "j".repeat(200) }, "claims"],
    ["jti not a string", { jti: 7 }, "claims"],
    ["htm missing", { htm: undefined }, "claims"],
    ["htu not a string", { htu: 42 }, "claims"],
    ["iat missing", { iat: undefined }, "claims"],
    ["exp passed", { exp: nowSeconds() - 3600 }, "claims"],
  ] as const)("claims: %s", async (_, claims, problem) => {
    expectProofRefused(await dpopGet(server, token, { claims: { ...claims } }), problem);
  });

  it("malformed and oversized proofs: 401, never a 5xx; a huge header block is 431", async () => {
    const send = (value: string) => new Client(server.url).get("/api/me", { headers: dpopHeaders(token, value) });
    expectProofRefused(await send("not-a-jwt"), "malformed");
    expectProofRefused(await send("a.b"), "malformed");
    expectProofRefused(await send(`${b64url("{not json")}.${b64url("{}")}.AAAA`), "malformed");
    expectProofRefused(await send(`${b64url("[1]")}.${b64url("{}")}.AAAA`), "malformed");
    expectProofRefused(await send("a".repeat(3000)), "too_long");
    const huge = await fetch(`${server.url}/api/me`, { headers: dpopHeaders(token, "a".repeat(20_000)) });
    expect(huge.status).toBe(431);
  });

  it("a payload that is not a JSON object, properly signed: malformed", async () => {
    const header = { alg: "ES256", typ: "dpop+jwt", jwk: owner.publicJwk };
    const input = `${b64url(header)}.${b64url("[]")}`;
    const signature = await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      owner.privateKey,
      new TextEncoder().encode(input),
    );
    const proof = `${input}.${Buffer.from(signature).toString("base64url")}`;
    expectProofRefused(
      await new Client(server.url).get("/api/me", { headers: dpopHeaders(token, proof) }),
      "malformed",
    );
  });

  it("two DPoP headers: refused (RFC 9449 §4.3 check 1), as separate lines or joined", async () => {
    const [first, second] = await Promise.all(
      [1, 2].map(() => makeProof(owner, { htm: "GET", htu: `${server.url}/api/me`, accessToken: token })),
    );
    const joined = await new Client(server.url).get("/api/me", { headers: dpopHeaders(token, `${first}, ${second}`) });
    expectProofRefused(joined, "multiple");
    // An array value makes node:http send two separate "dpop:" lines.
    const raw = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(`${server.url}/api/me`, { headers: { authorization: `DPoP ${token}` } });
      request.setHeader("dpop", [first!, second!]);
      request.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on("error", reject);
      request.end();
    });
    expect(raw.status, raw.text).toBe(401);
    expect(JSON.parse(raw.text).proof).toBe("multiple");
  });

  it("Bearer and DPoP in one Authorization header: 400 invalid_request", async () => {
    const proof = await makeProof(owner, { htm: "GET", htu: `${server.url}/api/me`, accessToken: token });
    const response = await new Client(server.url).get("/api/me", {
      headers: { authorization: `Bearer ${token}, DPoP ${token}`, dpop: proof },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe("invalid_request");
  });

  it("no credentials: both challenges offered, with the proof algorithms", async () => {
    const response = await new Client(server.url).get("/api/me");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(`Bearer realm="authlab", DPoP ${ALGS}`);
  });
});

describe("replay across instances sharing the database", () => {
  let b: AppServer;
  beforeAll(async () => {
    b = await startAppServer({ database: server.database, env: { INSTANCE_ID: "dpop-b" } });
  });
  afterAll(async () => {
    await b?.dispose();
  });

  /** The same request — token, proof, cookie — sent to `a`, then replayed at `b` (its proof names a's URL). */
  async function sendTwice(method: "GET" | "DELETE", path: string, token: string) {
    const proof = await makeProof(owner, { htm: method, htu: `${server.url}${path}`, accessToken: token });
    const first = await new Client(server.url).request(path, { method, headers: dpopHeaders(token, proof) });
    // The Host a's clients use, so the replayed proof's htu is b's expected URI too.
    const replay = await requestWithHost(`${b.url}${path}`, `127.0.0.1:${server.port}`, {
      method,
      headers: dpopHeaders(token, proof),
    });
    return { first, replay };
  }

  it("a state-changing request replayed on another instance is refused: the shared store saw its jti", async () => {
    const { accessToken } = await boundAccount(server, owner);
    const { first, replay } = await sendTwice("DELETE", "/api/account", accessToken);
    expect(first.status, first.text).toBe(204);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: "invalid_token", reason: "dpop_invalid", proof: "replayed" });
    expect(replay.body.layer).toBe("node-strict-check");
  });

  it("a refresh (cookie and proof) replayed on another instance is refused", async () => {
    const { c } = await boundAccount(server, owner);
    const proof = await makeProof(owner, { htm: "POST", htu: `${server.url}/api/auth/refresh` });
    const cookie = `authlab_refresh=${c.cookie("authlab_refresh")!.value}`;
    expect((await c.post("/api/auth/refresh", undefined, { headers: { dpop: proof } })).status).toBe(200);
    const replay = await replayRefresh(b, server, proof, cookie);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: "invalid_dpop_proof", proof: "replayed" });
  });

  it("documented limit: a GET replayed on another instance within the window is answered", async () => {
    const { accessToken } = await boundAccount(server, owner);
    const { first, replay } = await sendTwice("GET", "/api/me", accessToken);
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
  });

  it("the maintenance sweep removes proofs whose window has passed", async () => {
    const past = new Date(Date.now() - 1000);
    await execute(server.database, `INSERT INTO "DpopProof" (jkt, jti, "expiresAt") VALUES (?, ?, ?)`, [
      owner.jkt,
      "swept-jti",
      storedTime(server.database, past),
    ]);
    await expect
      .poll(() => countRows(server.database, "DpopProof", "jti", "swept-jti"), { timeout: 10_000, interval: 250 })
      .toBe(0);
  });
});

const haveRedis = requireBinary("redis-server", "apt-get install redis-server");

describe.runIf(haveRedis)("replay across instances sharing Redis", () => {
  let redis: RedisServer;
  let first: AppServer;
  let second: AppServer;
  beforeAll(async () => {
    redis = await startRedis();
    const start = (id: string) =>
      startAppServer({ database: server.database, env: { REDIS_URL: redis.url, INSTANCE_ID: `dpop-${id}` } });
    [first, second] = await Promise.all([start("redis-a"), start("redis-b")]);
  });
  afterAll(async () => {
    await Promise.all([first?.dispose(), second?.dispose()]);
    await redis?.dispose();
  });

  it("a refresh proof claimed in Redis on one instance is refused on the other", async () => {
    const { c } = await boundAccount(first, owner);
    const proof = await makeProof(owner, { htm: "POST", htu: `${first.url}/api/auth/refresh` });
    expect((await c.post("/api/auth/refresh", undefined, { headers: { dpop: proof } })).status).toBe(200);
    // The same proof at the second instance (same Host and origin as the first's clients use).
    const replay = await replayRefresh(second, first, proof, `authlab_refresh=${c.cookie("authlab_refresh")!.value}`);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: "invalid_dpop_proof", proof: "replayed" });
  });
});

describe("with APP_ORIGIN, htu must name the public origin, whatever the request's Host", () => {
  const PUBLIC = "https://lab.example.test";
  let pinned: AppServer;
  beforeAll(async () => {
    pinned = await startAppServer({ env: { APP_ORIGIN: PUBLIC, INSTANCE_ID: "dpop-pinned" } });
  });
  afterAll(async () => {
    await pinned?.dispose();
  });

  it("a proof naming APP_ORIGIN passes; one naming the address the request was sent to does not", async () => {
    const c = new Client(pinned.url);
    const signup = await c.post(
      "/api/auth/signup",
      { email: uniqueEmail("pinned"), password: GOOD_PASSWORD },
      {
        headers: {
          origin: PUBLIC,
          dpop: await makeProof(owner, { htm: "POST", htu: `${PUBLIC}/api/auth/signup` }),
        },
      },
    );
    expect(signup.status, signup.text).toBe(201);
    const token = signup.body.accessToken as string;
    const send = async (htu: string) =>
      c.get("/api/me", {
        headers: dpopHeaders(token, await makeProof(owner, { htm: "GET", htu, accessToken: token })),
      });
    expect((await send(`${PUBLIC}/api/me`)).status).toBe(200);
    expectProofRefused(await send(`${pinned.url}/api/me`), "htu");
    expectProofRefused(await send("http://lab.example.test/api/me"), "htu");
  });
});

describe("DPOP_REQUIRED=true", () => {
  let strict: AppServer;
  beforeAll(async () => {
    strict = await startAppServer({ env: { DPOP_REQUIRED: "true", INSTANCE_ID: "dpop-required" } });
  });
  afterAll(async () => {
    await strict?.dispose();
  });

  it("login without a proof: 400 invalid_dpop_proof, reason dpop_required; with one: a DPoP token", async () => {
    const email = uniqueEmail("required");
    const c = new Client(strict.url);
    const bare = await c.post("/api/auth/signup", { email, password: GOOD_PASSWORD });
    expect(bare.status).toBe(400);
    expect(bare.body).toMatchObject({ error: "invalid_dpop_proof", reason: "dpop_required", proof: "missing" });
    const { accessToken } = await boundAccount(strict, owner);
    expect((await dpopGet(strict, accessToken)).status).toBe(200);
  });

  it("a Bearer token is refused with dpop_required; no credentials gets only the DPoP challenge", async () => {
    const c = new Client(strict.url);
    const { accessToken } = await boundAccount(strict, owner);
    // The same claims without cnf, signed with the server's own key: a valid Bearer token (the server
    // itself never issues one here, and its lab binds its tokens to the session's key).
    const { cnf: _cnf, ...claims } = decodeJwt(accessToken).payload;
    const bearer = await signWithKey(serverSigningKey(strict), claims, { typ: "at+jwt" });
    const response = await c.get("/api/me", { bearer });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: "invalid_token", reason: "dpop_required" });
    const none = await c.get("/api/me");
    expect(none.headers.get("www-authenticate")).toBe(`DPoP ${ALGS}`);
  });
});

describe("DPOP_NONCE=true: proofs carry a nonce the server chose (RFC 9449 §8, §9)", () => {
  let nonced: AppServer;
  beforeAll(async () => {
    nonced = await startAppServer({ env: { DPOP_NONCE: "true", INSTANCE_ID: "dpop-nonce" } });
  });
  afterAll(async () => {
    await nonced?.dispose();
  });

  /** A sign-up with a proof carrying `nonce` (none when undefined). */
  async function signUpWith(c: Client, email: string, nonce?: string) {
    const proof = await makeProof(owner, {
      htm: "POST",
      htu: `${nonced.url}/api/auth/signup`,
      claims: nonce === undefined ? {} : { nonce },
    });
    return c.post("/api/auth/signup", { email, password: GOOD_PASSWORD }, { headers: { dpop: proof } });
  }

  it("a token endpoint answers a proof without a nonce with 400 use_dpop_nonce and a fresh DPoP-Nonce; the retry works", async () => {
    const c = new Client(nonced.url);
    const email = uniqueEmail("nonce");
    const first = await signUpWith(c, email);
    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ error: "use_dpop_nonce", reason: "dpop_invalid", proof: "nonce" });
    const nonce = first.headers.get("dpop-nonce");
    expect(nonce).toMatch(/^[\x21\x23-\x5b\x5d-\x7e]+$/);
    expect(first.setCookies).toEqual([]);

    const retry = await signUpWith(c, email, nonce!);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body.tokenType).toBe("DPoP");
    expect(retry.headers.get("dpop-nonce")).toBeTruthy();
  });

  it("a made-up nonce is refused like a missing one", async () => {
    for (const nonce of ["0.AAAAAAAAAAAAAAAAAAAAAA", "x", ""]) {
      const refused = await signUpWith(new Client(nonced.url), uniqueEmail("nonce"), nonce);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: "use_dpop_nonce", proof: "nonce" });
    }
  });

  it("a resource answers 401 with a use_dpop_nonce challenge and a DPoP-Nonce; with the nonce it answers", async () => {
    const c = new Client(nonced.url);
    const nonce = (await signUpWith(c, uniqueEmail("nonce"))).headers.get("dpop-nonce")!;
    const { accessToken } = (await signUpWith(c, uniqueEmail("nonce"), nonce)).body as { accessToken: string };

    const bare = await dpopGet(nonced, accessToken);
    expect(bare.status).toBe(401);
    expect(bare.body).toMatchObject({ error: "invalid_token", reason: "dpop_invalid", proof: "nonce" });
    expect(bare.headers.get("www-authenticate")).toMatch(/^DPoP error="use_dpop_nonce", error_description=".+", algs=/);
    const fresh = bare.headers.get("dpop-nonce");
    expect(fresh).toBeTruthy();

    const ok = await dpopGet(nonced, accessToken, { claims: { nonce: fresh } });
    expect(ok.status, ok.text).toBe(200);
    // The handler's own check (a route the middleware does not gate checks the nonce the same way).
    const strict = await dpopGet(nonced, accessToken, { path: "/api/me/strict", claims: { nonce: fresh } });
    expect(strict.status, strict.text).toBe(200);
  });

  it("off by default: a proof without a nonce is accepted", async () => {
    const { accessToken } = await boundAccount(server, owner);
    expect((await dpopGet(server, accessToken)).status).toBe(200);
  });
});
