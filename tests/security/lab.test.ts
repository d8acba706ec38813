/**
 * The lab in production: admins may use it, but it acts only on their own
 * session. The simulated restart wipes every session in a memory store — everyone's — so, like the
 * role experiment, it runs only in development.
 */
import { describe, expect, it } from "vitest";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { setRole } from "../helpers/db";
import { makeProof, proofKey, type ProofKey } from "../helpers/dpop";
import { decodeJwt } from "../helpers/tokens";
import { useAppServer } from "../helpers/use-app-server";
import { productionEnv } from "../helpers/app-server";

const server = useAppServer({ env: productionEnv({ SESSION_STORE: "memory" }) });

describe("POST /api/lab/restart in production", () => {
  it("is refused even for an admin, and nobody else is signed out", async () => {
    const bystander = new Client(server.url);
    await signUp(bystander);
    const admin = new Client(server.url);
    const { email } = await signUp(admin);
    await setRole(server.database, email, "ADMIN");

    const restart = await admin.post("/api/lab/restart");
    expect(restart.status).toBe(403);
    expect(restart.body.error).toBe("lab_disabled");
    expect((await bystander.get("/api/session")).status).toBe(200);
    expect((await admin.get("/api/session")).status).toBe(200);
  });
});

describe("GET /api/health in production", () => {
  it("does not tell an unauthenticated caller when the process started", async () => {
    const response = await new Client(server.url).get("/api/health");
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(true);
    expect(response.body).not.toHaveProperty("startedAt");
  });
});

describe("POST /api/lab/token for an admin in production", () => {
  /** An admin signed up with a proof by `key` (a DPoP-bound refresh family), or without one (Bearer). */
  async function admin(key?: ProofKey) {
    const c = new Client(server.url);
    const dpop = key ? await makeProof(key, { htm: "POST", htu: `${server.url}/api/auth/signup` }) : undefined;
    const email = uniqueEmail("lab-admin");
    const signup = await c.post(
      "/api/auth/signup",
      { email, password: GOOD_PASSWORD },
      { headers: dpop ? { dpop } : {} },
    );
    expect(signup.status, signup.text).toBe(201);
    await setRole(server.database, email, "ADMIN");
    return c;
  }

  const lifetime = (token: string) => {
    const { iat, exp } = decodeJwt(token).payload as { iat: number; exp: number };
    return exp - iat;
  };

  it("a session bound to a DPoP key never gets a Bearer token: without a proof, the token is bound to the family's key", async () => {
    const owner = await proofKey();
    const c = await admin(owner);

    const minted = await c.post("/api/lab/token", {});
    expect(minted.status, minted.text).toBe(200);
    expect(minted.body.tokenType).toBe("DPoP");
    expect(decodeJwt(minted.body.accessToken).payload.cnf).toEqual({ jkt: owner.jkt });
    expect(lifetime(minted.body.accessToken)).toBeLessThanOrEqual(60);
    // Carried away from the page (an XSS), it is refused as Bearer everywhere, the admin API included.
    const stolen = await new Client(server.url).get("/api/admin/audit", { bearer: minted.body.accessToken });
    expect(stolen.status).toBe(401);
    expect(stolen.body).toMatchObject({ error: "invalid_token", reason: "dpop_required" });
  });

  it("a proof by a key other than the family's is refused: binding a token to a key script made would carry it away", async () => {
    const owner = await proofKey();
    const other = await proofKey();
    const c = await admin(owner);

    const foreign = await makeProof(other, { htm: "POST", htu: `${server.url}/api/lab/token` });
    const refused = await c.post("/api/lab/token", {}, { headers: { dpop: foreign } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: "invalid_dpop_proof", reason: "dpop_invalid", proof: "key_mismatch" });

    const own = await makeProof(owner, { htm: "POST", htu: `${server.url}/api/lab/token` });
    const bound = await c.post("/api/lab/token", {}, { headers: { dpop: own } });
    expect(bound.status, bound.text).toBe(200);
    expect(decodeJwt(bound.body.accessToken).payload.cnf).toEqual({ jkt: owner.jkt });
  });

  it("a Bearer session's lab token lives at most 60 s, whatever it asks for", async () => {
    const c = await admin();
    const minted = await c.post("/api/lab/token", {});
    expect(minted.status, minted.text).toBe(200);
    expect(minted.body.tokenType).toBe("Bearer");
    expect(minted.body.expiresIn).toBeLessThanOrEqual(60);
    expect(lifetime(minted.body.accessToken)).toBeLessThanOrEqual(60);
    expect((await c.post("/api/lab/token", { ttlSeconds: 61 })).status).toBe(400);
  });
});
