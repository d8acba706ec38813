/**
 * The benchmark's DPoP client (RFC 9449): a key, a token bound to it, and proofs for the load.
 *
 * Every request must carry a proof with a new `jti` (the server refuses a replay), but autocannon
 * builds requests synchronously (`setupRequest`) and signing is asynchronous. So the proofs for one
 * autocannon run are minted just before it, with jose, as a pool — each used once, all well inside the
 * ±60 s `iat` window — and `setupRequest` takes the next. The pool is sized from the previous run's
 * rate; if it runs out it starts over, the server refuses the reused proofs, and the run's error count
 * says so (a benchmark with errors is not reported as a success).
 */
import { randomUUID } from "node:crypto";
import { SignJWT, base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { createHash } from "node:crypto";

export interface BenchDpopKey {
  privateKey: CryptoKey;
  jwk: JWK;
  jkt: string;
}

export async function benchDpopKey(): Promise<BenchDpopKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = await exportJWK(publicKey);
  return { privateKey: privateKey as CryptoKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
}

export async function mintProof(
  key: BenchDpopKey,
  request: { method: string; htu: string; accessToken?: string },
): Promise<string> {
  const claims: Record<string, string> = { htm: request.method, htu: request.htu };
  if (request.accessToken)
    claims.ath = base64url.encode(new Uint8Array(createHash("sha256").update(request.accessToken).digest()));
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.jwk })
    .setIssuedAt()
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** Per-request headers for a load run: `prepare` before it, `next` for each request. */
export interface FreshHeaders {
  prepare(requests: number): Promise<void>;
  next(): Record<string, string>;
  /** How many requests of the last run had to reuse a proof (each one an error at the server). */
  reused(): number;
}

export function dpopProofPool(
  key: BenchDpopKey,
  request: { method: string; url: string; accessToken: string },
): FreshHeaders {
  const htu = new URL(request.url);
  const target = `${htu.origin}${htu.pathname}`;
  let proofs: string[] = [];
  let taken = 0;
  return {
    async prepare(requests) {
      proofs = [];
      taken = 0;
      for (let i = 0; i < requests; i++)
        proofs.push(await mintProof(key, { method: request.method, htu: target, accessToken: request.accessToken }));
    },
    next() {
      const proof = proofs[taken % proofs.length]!;
      taken++;
      return { authorization: `DPoP ${request.accessToken}`, dpop: proof };
    },
    reused: () => Math.max(0, taken - proofs.length),
  };
}
