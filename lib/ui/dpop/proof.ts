/**
 * Making DPoP proofs in the browser (RFC 9449 §4), with jose: header `{alg: "ES256", typ: "dpop+jwt",
 * jwk}` (the public key, public members only), claims `htm`, `htu` (the URL without query and fragment),
 * `iat`, a random `jti`, and `ath` when an access token travels with it. One proof per request: the
 * server refuses a `jti` it has seen.
 */
import { SignJWT, base64url, calculateJwkThumbprint, exportJWK, type JWK } from "jose";

export interface DpopKey {
  keyPair: CryptoKeyPair;
  /** The public key as the proof carries it. */
  jwk: JWK;
  /** RFC 7638 SHA-256 thumbprint: what a bound token's `cnf.jkt` names. */
  jkt: string;
}

export async function dpopKeyOf(keyPair: CryptoKeyPair): Promise<DpopKey> {
  // exportJWK keeps only {kty, crv, x, y}: the server would accept kid, alg, use or key_ops beside them
  // (RFC 7517 §4), but the bare key makes the smallest proof.
  const jwk = await exportJWK(keyPair.publicKey);
  return { keyPair, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
}

/** A key that lives only in this page's memory: the thief's, in the "steal the token" experiment. */
export async function throwawayDpopKey(): Promise<DpopKey> {
  const keyPair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  return dpopKeyOf(keyPair);
}

/** `htu`: the absolute URL of a request, without query and fragment (RFC 9449 §4.2). */
export function htuOf(url: string): string {
  const absolute = new URL(url, window.location.href);
  return `${absolute.origin}${absolute.pathname}`;
}

async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * The server's latest DPoP nonce (RFC 9449 §8), when it hands them out (DPOP_NONCE=true): every answer
 * to a request with a proof carries the next one in DPoP-Nonce, and each proof includes it.
 */
let serverNonce: string | null = null;

export function rememberNonce(nonce: string | null): void {
  if (nonce) serverNonce = nonce;
}

/** The server refused a proof for lacking its nonce (§8 at a token endpoint, §9 at a resource). */
export function wantsNonce(answer: { status: number; error: string | null; body: unknown }): boolean {
  if (answer.status === 400 && answer.error === "use_dpop_nonce") return true;
  const body = answer.body as { proof?: unknown } | null;
  return answer.status === 401 && body !== null && typeof body === "object" && body.proof === "nonce";
}

export async function createProof(
  key: DpopKey,
  request: { method: string; url: string; accessToken?: string },
): Promise<string> {
  const claims: Record<string, string> = { htm: request.method, htu: htuOf(request.url) };
  if (request.accessToken) claims.ath = await accessTokenHash(request.accessToken);
  if (serverNonce) claims.nonce = serverNonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.jwk })
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .sign(key.keyPair.privateKey);
}

/** The thumbprint a token is bound to (`cnf.jkt`), read without verifying; null for a Bearer token. */
export function boundJktOf(payload: Record<string, unknown> | null | undefined): string | null {
  const cnf = payload?.cnf;
  if (!cnf || typeof cnf !== "object") return null;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === "string" ? jkt : null;
}
