/**
 * The Web-API pieces of DPoP (lib/edge/dpop/) in isolation: htu normalisation, the per-instance replay
 * cache, the proof verifier against proofs from panva's `dpop` (a client nobody here wrote), the `cnf`
 * claim, and the configuration of DPOP_REQUIRED and INTROSPECTION_CLIENTS.
 */
import * as DPoP from "dpop";
import { describe, expect, it, vi } from "vitest";
import { normaliseHtu } from "@/lib/edge/dpop/htu";
import { SeenProofs } from "@/lib/edge/dpop/seen-proofs";
import { verifyDpopProof, DPOP_IAT_WINDOW_SECONDS } from "@/lib/edge/dpop/verify-proof";
import { currentNonce, isFreshNonce, NONCE_PERIOD_MS } from "@/lib/edge/dpop/nonce";
import { parseAccessClaims } from "@/lib/edge/jwt/claims";
import { ConfigError, loadConfig } from "@/lib/edge/config";

describe("htu normalisation (RFC 3986 §6.2.2, §6.2.3; RFC 9449 §4.3 check 9)", () => {
  it.each([
    ["https://Lab.Example.COM/api/me", "https://lab.example.com/api/me"],
    ["HTTPS://lab.example.com:443/api/me", "https://lab.example.com/api/me"],
    ["http://lab.example.com:80/api/me?x=1#y", "http://lab.example.com/api/me"],
    ["https://lab.example.com", "https://lab.example.com/"],
    ["https://lab.example.com/api/./x/../me", "https://lab.example.com/api/me"],
    ["https://lab.example.com/api/%6d%65", "https://lab.example.com/api/me"],
    ["https://lab.example.com/a%2fb", "https://lab.example.com/a%2Fb"],
    ["https://lab.example.com/a%7Eb", "https://lab.example.com/a~b"],
    ["http://[::1]:3000/api/me", "http://[::1]:3000/api/me"],
  ])("%s → %s", (input, expected) => {
    expect(normaliseHtu(input)).toBe(expected);
  });

  it.each(["/api/me", "ftp://lab.example.com/x", "https://user:pw@lab.example.com/", "https://user@x/", "not a url"])(
    "%s is not an htu",
    (input) => {
      expect(normaliseHtu(input)).toBeNull();
    },
  );

  it("refuses an htu longer than any URL of ours", () => {
    expect(normaliseHtu(`https://lab.example.com/${"a".repeat(3000)}`)).toBeNull();
  });
});

describe("the per-instance replay cache", () => {
  it("answers true once per key inside the window, and again after it has passed", () => {
    const seen = new SeenProofs();
    expect(seen.firstSighting("k.1", 2000, 1000)).toBe(true);
    expect(seen.firstSighting("k.1", 2000, 1500)).toBe(false);
    expect(seen.firstSighting("k.2", 2000, 1500)).toBe(true);
    expect(seen.firstSighting("k.1", 4000, 2500)).toBe(true);
  });

  it("forgets expired entries as it goes, and holds at most its bound", () => {
    const seen = new SeenProofs(3);
    for (let i = 0; i < 3; i++) seen.firstSighting(`k.${i}`, 1000, 0);
    expect(seen.size).toBe(3);
    seen.firstSighting("k.3", 5000, 2000);
    expect(seen.size).toBe(1);
    for (let i = 4; i < 10; i++) seen.firstSighting(`k.${i}`, 5000, 2000);
    expect(seen.size).toBe(3);
    // The oldest were forgotten early (the documented price of the bound); the newest are still refused.
    expect(seen.firstSighting("k.9", 5000, 2000)).toBe(false);
  });
});

describe("verifyDpopProof with proofs from panva's dpop", () => {
  const htu = "https://lab.example.com/api/me";

  it("accepts its ES256 and Ed25519 proofs and computes the same thumbprint", async () => {
    for (const alg of ["ES256", "Ed25519"] as const) {
      const keyPair = await DPoP.generateKeyPair(alg);
      const proof = await DPoP.generateProof(keyPair, htu, "GET", undefined, "the-access-token");
      const checked = await verifyDpopProof(proof, { method: "GET", htu }, { accessToken: "the-access-token" });
      expect(checked.ok).toBe(true);
      if (checked.ok) expect(checked.proof.jkt).toBe(await DPoP.calculateThumbprint(keyPair.publicKey));
    }
  });

  it("names the rule a proof breaks", async () => {
    const keyPair = await DPoP.generateKeyPair("ES256");
    const proof = await DPoP.generateProof(keyPair, htu, "GET", undefined, "token");
    const problem = async (request: { method: string; htu: string | null }, options = {}) => {
      const checked = await verifyDpopProof(proof, request, { accessToken: "token", ...options });
      return checked.ok ? null : checked.problem;
    };
    expect(await problem({ method: "POST", htu })).toBe("htm");
    expect(await problem({ method: "GET", htu: "https://lab.example.com/api/other" })).toBe("htu");
    expect(await problem({ method: "GET", htu: null })).toBe("htu");
    expect(await problem({ method: "GET", htu }, { accessToken: "another" })).toBe("ath");
    expect(await problem({ method: "GET", htu }, { boundJkt: "A".repeat(43) })).toBe("key_mismatch");
    const later = new Date(Date.now() + (DPOP_IAT_WINDOW_SECONDS + 2) * 1000);
    expect(await problem({ method: "GET", htu }, { currentDate: later })).toBe("iat");
    expect(await problem({ method: "GET", htu }, {})).toBeNull();
  });

  it("verifies a proof's signature once per process; every request-dependent check runs every time", async () => {
    const keyPair = await DPoP.generateKeyPair("ES256");
    const proof = await DPoP.generateProof(keyPair, htu, "GET", undefined, "token");
    const verify = vi.spyOn(crypto.subtle, "verify");
    try {
      expect((await verifyDpopProof(proof, { method: "GET", htu }, { accessToken: "token" })).ok).toBe(true);
      const afterFirst = verify.mock.calls.length;
      expect(afterFirst).toBeGreaterThan(0);
      // The same string again (the Node proxy's gate, then the handler): no second ECDSA verification…
      expect((await verifyDpopProof(proof, { method: "GET", htu }, { accessToken: "token" })).ok).toBe(true);
      expect(verify.mock.calls.length).toBe(afterFirst);
      // …but the request is still judged: another method, URI or token is refused as before.
      const again = await verifyDpopProof(proof, { method: "POST", htu }, { accessToken: "token" });
      expect(again.ok ? null : again.problem).toBe("htm");
      const otherToken = await verifyDpopProof(proof, { method: "GET", htu }, { accessToken: "other" });
      expect(otherToken.ok ? null : otherToken.problem).toBe("ath");
      // Any other string claiming the same content is verified in full and refused.
      const [header, payload] = proof.split(".");
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, htm: "POST" })).toString("base64url")}.${proof.split(".")[2]}`;
      const refused = await verifyDpopProof(forged, { method: "POST", htu }, { accessToken: "token" });
      expect(refused.ok ? null : refused.problem).toBe("signature");
    } finally {
      verify.mockRestore();
    }
  });

  it("knows when a proof's jti may be forgotten: once its iat has left the window", async () => {
    const keyPair = await DPoP.generateKeyPair("ES256");
    const proof = await DPoP.generateProof(keyPair, htu, "GET");
    const checked = await verifyDpopProof(proof, { method: "GET", htu });
    if (!checked.ok) throw new Error(checked.description);
    expect(checked.proof.acceptableUntilMs).toBe((checked.proof.iat + DPOP_IAT_WINDOW_SECONDS + 1) * 1000);
  });
});

describe("server nonces (RFC 9449 §8)", () => {
  const htu = "https://lab.example.com/api/auth/refresh";

  it("a nonce is fresh in its own period and the next, and never after; a forged one never", async () => {
    const t0 = 1_900_000_000_000;
    const nonce = await currentNonce(t0);
    expect(nonce).toMatch(/^[\x21\x23-\x5b\x5d-\x7e]+$/);
    expect(await isFreshNonce(nonce, t0)).toBe(true);
    expect(await isFreshNonce(nonce, t0 + NONCE_PERIOD_MS)).toBe(true);
    expect(await isFreshNonce(nonce, t0 + 2 * NONCE_PERIOD_MS)).toBe(false);
    // Handed out by no one: a period from the future, or another MAC.
    expect(await isFreshNonce(await currentNonce(t0 + NONCE_PERIOD_MS), t0)).toBe(false);
    const [period, mac] = nonce.split(".") as [string, string];
    expect(await isFreshNonce(`${period}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`, t0)).toBe(false);
    for (const value of [undefined, 42, "", "x", `${period}.`]) expect(await isFreshNonce(value, t0)).toBe(false);
  });

  it("with requireNonce a proof passes only with a fresh nonce in its claims (panva's dpop sends it)", async () => {
    const keyPair = await DPoP.generateKeyPair("ES256");
    const without = await DPoP.generateProof(keyPair, htu, "POST");
    const checked = await verifyDpopProof(without, { method: "POST", htu }, { requireNonce: true });
    expect(checked.ok ? null : checked.problem).toBe("nonce");
    const nonce = await currentNonce();
    const withNonce = await DPoP.generateProof(keyPair, htu, "POST", nonce);
    expect((await verifyDpopProof(withNonce, { method: "POST", htu }, { requireNonce: true })).ok).toBe(true);
  });
});

describe("the cnf claim", () => {
  const claims = {
    iss: "i",
    aud: "a",
    sub: "1",
    role: "USER",
    iat: 1,
    exp: 2,
    jti: "j",
    sid: "s",
  };

  it("keeps a well-formed cnf.jkt and refuses any other cnf", () => {
    const jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    expect(parseAccessClaims({ ...claims, cnf: { jkt } })).toMatchObject({ ok: true, claims: { cnf: { jkt } } });
    expect(parseAccessClaims(claims)).toMatchObject({ ok: true });
    for (const cnf of [{ jkt: "short" }, { jwk: {} }, { jkt, x5t: "x" }, "jkt", null])
      expect(parseAccessClaims({ ...claims, cnf })).toEqual({ ok: false, claim: "cnf" });
  });
});

describe("DPoP and token-endpoint configuration", () => {
  const base = {
    SESSION_PASSWORD: "p".repeat(32),
    JWT_PRIVATE_JWKS: process.env.JWT_PRIVATE_JWKS,
  };
  const secret = "a-secret-that-is-long-enough-for-this-0123";

  it("DPOP_REQUIRED defaults to false; INTROSPECTION_CLIENTS to none", () => {
    expect(loadConfig(base)).toMatchObject({ dpop: { required: false }, introspection: { clients: [] } });
    expect(loadConfig({ ...base, DPOP_REQUIRED: "true" }).dpop.required).toBe(true);
  });

  it("parses id:secret pairs", () => {
    const parsed = loadConfig({ ...base, INTROSPECTION_CLIENTS: `rs-1:${secret}, rs.2:${secret}x` });
    expect(parsed.introspection.clients).toEqual([
      { id: "rs-1", secret },
      { id: "rs.2", secret: `${secret}x` },
    ]);
  });

  it.each([
    ["a short secret", "rs:short-secret"],
    ["no colon", "rs-without-secret"],
    ["a bad id", `r s:${secret}`],
    ["a secret with a reserved character", `rs:${secret}/`],
    ["a duplicate id", `rs:${secret},rs:${secret}`],
  ])("refuses %s, naming the variable and never the secret", (_, value) => {
    let error: unknown;
    try {
      loadConfig({ ...base, INTROSPECTION_CLIENTS: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join("\n");
    expect(text).toMatch(/^INTROSPECTION_CLIENTS: /);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("short-secret");
  });

  it("refuses a DPOP_REQUIRED that is not true or false", () => {
    expect(() => loadConfig({ ...base, DPOP_REQUIRED: "yes" })).toThrow(/DPOP_REQUIRED/);
  });
});
