/**
 * DPoP with a client nobody here wrote: panva's `dpop` package makes every key and
 * proof — non-extractable WebCrypto keys, `alg: Ed25519` for Ed25519 (its 2.x spelling), its own `jti`
 * and `ath` — and the server must accept them through login, resource calls, refresh and a state change.
 */
import * as DPoP from "dpop";
import { describe, expect, it } from "vitest";
import { useAppServer } from "../helpers/use-app-server";
import { Client, GOOD_PASSWORD, uniqueEmail } from "../helpers/http-client";
import { decodeJwt } from "../helpers/tokens";

const server = useAppServer({ env: { INSTANCE_ID: "dpop-client" } });

describe.each(["ES256", "Ed25519"] as const)("panva's dpop client with %s", (alg) => {
  it("signs up, calls the API, refreshes and deletes its account with its own proofs", async () => {
    const keyPair = await DPoP.generateKeyPair(alg);
    expect(keyPair.privateKey.extractable).toBe(false);
    const jkt = await DPoP.calculateThumbprint(keyPair.publicKey);
    const c = new Client(server.url);
    const url = (path: string) => `${server.url}${path}`;

    const signup = await c.post(
      "/api/auth/signup",
      { email: uniqueEmail(`dpop-${alg}`), password: GOOD_PASSWORD },
      { headers: { dpop: await DPoP.generateProof(keyPair, url("/api/auth/signup"), "POST") } },
    );
    expect(signup.status, signup.text).toBe(201);
    expect(signup.body.tokenType).toBe("DPoP");
    expect(decodeJwt(signup.body.accessToken).payload.cnf).toEqual({ jkt });

    const call = async (method: string, path: string, token: string, htu = url(path)) =>
      c.request(path, {
        method,
        headers: {
          authorization: `DPoP ${token}`,
          dpop: await DPoP.generateProof(keyPair, htu, method, undefined, token),
        },
      });

    const me = await call("GET", "/api/me", signup.body.accessToken);
    expect(me.status, me.text).toBe(200);
    expect(me.body.claims.cnf).toEqual({ jkt });
    // The package does not strip a query from htu; the server ignores it (RFC 9449 §4.3 check 9).
    expect((await call("GET", "/api/me", signup.body.accessToken, url("/api/me?page=2"))).status).toBe(200);
    expect((await call("GET", "/api/me/strict", signup.body.accessToken)).status).toBe(200);

    const refreshed = await c.post("/api/auth/refresh", undefined, {
      headers: { dpop: await DPoP.generateProof(keyPair, url("/api/auth/refresh"), "POST") },
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body.tokenType).toBe("DPoP");
    expect(decodeJwt(refreshed.body.accessToken).payload.cnf).toEqual({ jkt });

    const deleted = await call("DELETE", "/api/account", refreshed.body.accessToken);
    expect(deleted.status, deleted.text).toBe(204);
  });
});
