/**
 * DPoP proofs the way a client (or an attacker) makes them: our own minting with jose, so any header
 * or claim can be set — a stale iat, a private key in `jwk`, another method. A client nobody here wrote
 * (panva's `dpop`) is used in tests/integration/dpop-client.test.ts.
 */
import { createHash, randomUUID } from "node:crypto";
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";

export interface ProofKey {
  alg: "ES256" | "EdDSA";
  privateKey: CryptoKey;
  /** The private key as a JWK, for the "private members in jwk" attacks. */
  privateJwk: JWK;
  publicJwk: JWK;
  jkt: string;
}

export async function proofKey(alg: ProofKey["alg"] = "ES256"): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return {
    alg,
    privateKey,
    privateJwk: await exportJWK(privateKey),
    publicJwk,
    jkt: await calculateJwkThumbprint(publicJwk, "sha256"),
  };
}

export function ath(accessToken: string): string {
  return base64url.encode(new Uint8Array(createHash("sha256").update(accessToken).digest()));
}

export interface ProofOptions {
  htm: string;
  htu: string;
  accessToken?: string;
  /** Seconds since the epoch; now by default. */
  iat?: number;
  jti?: string;
  /** Replaces or adds header members (`undefined` removes one). */
  header?: Record<string, unknown>;
  /** Replaces or adds claims (`undefined` removes one). */
  claims?: Record<string, unknown>;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

const SIGNING = { ES256: { name: "ECDSA", hash: "SHA-256" }, EdDSA: { name: "Ed25519" } } as const;

/**
 * Signs any header and claims with the key's own algorithm, whatever the header says (jose would refuse
 * to sign an `alg` that is not the key's): what an attacker's hand-made proof looks like.
 */
export async function signRaw(key: ProofKey, header: object, claims: object): Promise<string> {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = await crypto.subtle.sign(SIGNING[key.alg], key.privateKey, new TextEncoder().encode(input));
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

export async function makeProof(key: ProofKey, options: ProofOptions): Promise<string> {
  const header = withoutUndefined({ alg: key.alg, typ: "dpop+jwt", jwk: key.publicJwk, ...options.header });
  const claims = withoutUndefined({
    htm: options.htm,
    htu: options.htu,
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    jti: options.jti ?? randomUUID(),
    ...(options.accessToken !== undefined ? { ath: ath(options.accessToken) } : {}),
    ...options.claims,
  });
  return signRaw(key, header, claims);
}

/** The headers of a DPoP-scheme request. */
export function dpopHeaders(accessToken: string, proof: string): Record<string, string> {
  return { authorization: `DPoP ${accessToken}`, dpop: proof };
}
