/**
 * Checks one DPoP proof (RFC 9449 §4.3) — the only place that does, for the Edge middleware, the route
 * handlers and the token endpoints alike. Web APIs only; jose does all the JOSE work (importJWK,
 * jwtVerify, calculateJwkThumbprint, base64url).
 *
 * What is checked, in order (cheap structure first, then the signature, then what it claims):
 *  1. exactly one DPoP header, at most MAX_PROOF_LENGTH, one compact JWS with a canonical signature;
 *  2. `typ` the media type `dpop+jwt` — compared case-insensitively, with or without `application/`
 *     (RFC 7515 §4.1.9) — and `alg` one of DPOP_ALGORITHMS: never `none`, never an HMAC;
 *  3. `jwk` a public key of that algorithm (EC P-256 {kty, crv, x, y}, OKP Ed25519 {kty, crv, x}),
 *     judged BEFORE jose sees it. RFC 9449 §4.3 check 7 forbids private members, so `d` (and any other
 *     private member, RSA's or a symmetric key's `k`) is refused; the public members RFC 7517 §4 allows
 *     beside the key — `kid`, `alg`, `use`, `key_ops`, and WebCrypto's `ext` — are accepted when they
 *     agree with a signing public key (`alg` the proof's, `use` "sig", `key_ops` only "verify") and are
 *     then dropped: only the key's own members reach WebCrypto (which would throw a raw DOMException on
 *     a `d` or a `key_ops` it dislikes), so no private key is ever imported, and the thumbprint (RFC 7638)
 *     is of those members alone;
 *  4. the signature, under that key; `iat` within ±DPOP_IAT_WINDOW_SECONDS; `jti`, `htm`, `htu` present.
 *     The key is the proof's own `jwk`, imported with jose — what jose's EmbeddedJWK does, but kept:
 *     a client proves with one key for many requests, and importing it cost more than verifying the
 *     signature (bench/README.md). The cache is keyed on the exact public members, so it can only
 *     ever answer with the key the header names, and it is bounded. A proof string whose signature
 *     this process already verified (the Node proxy's gate, a moment before the handler) is not
 *     verified again (verified-proofs.ts); its `iat` is judged again against the clock;
 *  5. `htm` = the request method (case-sensitive), `htu` = the request URI (htu.ts);
 *  6. with an access token: `ath` = base64url(SHA-256(token)), and the key's RFC 7638 thumbprint =
 *     the token's `cnf.jkt` (or a refresh family's key, for the token endpoints);
 *  7. with DPOP_NONCE=true, a `nonce` this server handed out lately (nonce.ts, RFC 9449 §8 and §9).
 * Replay (`jti` seen before) is the caller's last step, against a cache it owns (seen-proofs.ts at the
 * Edge, plus the shared store in Node for state-changing requests): which store is right depends on
 * where the check runs.
 *
 * Any failure — a JOSEError or anything else jose lets escape — is a refusal, never a 5xx.
 */
import {
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  errors,
  importJWK,
  jwtVerify,
  type CryptoKey,
} from "jose";
import { wallClock } from "@/lib/edge/clock";
import { processSingleton } from "@/lib/edge/singleton";
import type { DpopProofProblem } from "@/lib/edge/errors";
import { isCanonicalBase64url } from "@/lib/edge/jwt/canonical";
import { normaliseHtu } from "./htu";
import { rememberSignature, verifiedSignature } from "./verified-proofs";
import { isFreshNonce } from "./nonce";

/** RFC 9449 §4.2: asymmetric only. `Ed25519` is the fully-specified name panva's `dpop` 2.x signs with. */
export const DPOP_ALGORITHMS = ["ES256", "EdDSA", "Ed25519"] as const;
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number];
export const DPOP_PROOF_TYPE = "dpop+jwt";
/** RFC 9449 §11.1: a short window for `iat` (±60 s); a `jti` is remembered for as long. */
export const DPOP_IAT_WINDOW_SECONDS = 60;
/** An ES256 proof with its key is ~600 characters. */
export const MAX_PROOF_LENGTH = 2048;
/** Long enough for any client's random id (a UUID is 36); bounded because replay stores keep it. */
export const MAX_JTI_LENGTH = 128;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const COORDINATE = /^[A-Za-z0-9_-]{43}$/;
const PRINTABLE = /^[\x21-\x7e]+$/;

export interface ProofRequest {
  method: string;
  /** The normalised URI the proof must name (htu.ts), or null when the request has none we trust. */
  htu: string | null;
}

export interface ProofOptions {
  /** The access token sent with the proof (resource requests): `ath` must be its hash. */
  accessToken?: string;
  /** The thumbprint the proof's key must have: the token's `cnf.jkt`, or a refresh family's key. */
  boundJkt?: string;
  /** DPOP_NONCE=true: the proof must carry a nonce this server handed out lately (nonce.ts). */
  requireNonce?: boolean;
  /** The proof window's "now": the wall clock unless a test fixes one (lib/edge/clock.ts). */
  currentDate?: Date;
}

export interface VerifiedProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key. */
  jkt: string;
  jti: string;
  iat: number;
  /** After this instant no verifier accepts the proof (its iat has left the window): its jti may be forgotten. */
  acceptableUntilMs: number;
  header: { alg: DpopAlgorithm; typ: string; jwk: PublicJwk };
  claims: Record<string, unknown>;
}

export type PublicJwk = { kty: "EC"; crv: "P-256"; x: string; y: string } | { kty: "OKP"; crv: "Ed25519"; x: string };

export type ProofCheck =
  { ok: true; proof: VerifiedProof } | { ok: false; problem: DpopProofProblem; description: string };

type Refusal = Extract<ProofCheck, { ok: false }>;
const refuse = (problem: DpopProofProblem, description: string): Refusal => ({ ok: false, problem, description });

function isDpopAlgorithm(value: unknown): value is DpopAlgorithm {
  return (DPOP_ALGORITHMS as readonly unknown[]).includes(value);
}

/** RFC 7517 §4 members a public key may carry beside its own, each with the one value a proof's key may have. */
const PUBLIC_METADATA: Record<string, (value: unknown, alg: DpopAlgorithm) => boolean> = {
  kid: (value) => typeof value === "string" && value.length <= 256,
  alg: (value, alg) => value === alg || (alg !== "ES256" && (value === "EdDSA" || value === "Ed25519")),
  use: (value) => value === "sig",
  key_ops: (value) => Array.isArray(value) && value.every((op) => op === "verify"),
  /** WebCrypto's exportKey("jwk") marks the key extractable. */
  ext: (value) => typeof value === "boolean",
};

/** The members a key of this type must have; anything else must be PUBLIC_METADATA that agrees. */
const KEY_MEMBERS = { ES256: ["kty", "crv", "x", "y"], OKP: ["kty", "crv", "x"] } as const;

function onlyPublicMembers(k: Record<string, unknown>, alg: DpopAlgorithm, keyMembers: readonly string[]): boolean {
  if (!keyMembers.every((m) => m in k)) return false;
  // Anything not named here — `d`, RSA's private members, a symmetric `k`, unknown ones — is refused.
  return Object.keys(k).every(
    (m) => keyMembers.includes(m) || (Object.hasOwn(PUBLIC_METADATA, m) && PUBLIC_METADATA[m]!(k[m], alg)),
  );
}

const isCoordinate = (value: unknown): value is string =>
  typeof value === "string" && COORDINATE.test(value) && isCanonicalBase64url(value);

/** The proof's public key for `alg`, its own members only; null for anything private or inconsistent. */
function publicKeyFor(alg: DpopAlgorithm, jwk: unknown): PublicJwk | null {
  if (!jwk || typeof jwk !== "object" || Array.isArray(jwk)) return null;
  const k = jwk as Record<string, unknown>;
  if (alg === "ES256") {
    if (!onlyPublicMembers(k, alg, KEY_MEMBERS.ES256) || k.kty !== "EC" || k.crv !== "P-256") return null;
    return isCoordinate(k.x) && isCoordinate(k.y) ? { kty: "EC", crv: "P-256", x: k.x, y: k.y } : null;
  }
  if (!onlyPublicMembers(k, alg, KEY_MEMBERS.OKP) || k.kty !== "OKP" || k.crv !== "Ed25519") return null;
  return isCoordinate(k.x) ? { kty: "OKP", crv: "Ed25519", x: k.x } : null;
}

/** RFC 7515 §4.1.9: a media type, case-insensitive, whose "application/" prefix may be left out. */
function isProofType(typ: unknown): boolean {
  return typeof typ === "string" && typ.toLowerCase().replace(/^application\//, "") === DPOP_PROOF_TYPE;
}

/** Keys a process remembers; a client uses one key for all its proofs, so few are live at once. */
export const MAX_CACHED_KEYS = 1000;

interface ProofKey {
  key: CryptoKey;
  jkt: string;
}

/** The proof's public key, imported (and its thumbprint computed) once per process per key. */
function importProofKey(alg: DpopAlgorithm, jwk: PublicJwk): Promise<ProofKey> {
  const keys = processSingleton("dpopProofKeys", () => new Map<string, Promise<ProofKey>>());
  const id = JSON.stringify([alg, jwk.kty, jwk.crv, jwk.x, jwk.kty === "EC" ? jwk.y : ""]);
  let imported = keys.get(id);
  if (!imported) {
    if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value!);
    imported = (async () => ({
      key: (await importJWK(jwk, alg)) as CryptoKey,
      jkt: await calculateJwkThumbprint(jwk, "sha256"),
    }))();
    keys.set(id, imported);
    // A key that does not import (a point not on the curve) is not remembered.
    imported.catch(() => keys.delete(id));
  }
  return imported;
}

/** Token hashes a process remembers: a client sends one access token with many proofs. */
export const MAX_CACHED_TOKEN_HASHES = 5000;

/**
 * base64url(SHA-256(access token)): the proof's `ath` (RFC 9449 §4.2). A pure function of the token,
 * so it is computed once per process per token rather than for every proof (and twice where the gate
 * and the handler share a process).
 */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const hashes = processSingleton("dpopAccessTokenHashes", () => new Map<string, string>());
  const known = hashes.get(accessToken);
  if (known !== undefined) return known;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken));
  const hash = base64url.encode(new Uint8Array(digest));
  if (hashes.size >= MAX_CACHED_TOKEN_HASHES) hashes.delete(hashes.keys().next().value!);
  hashes.set(accessToken, hash);
  return hash;
}

function describeVerifyError(error: unknown): Refusal {
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return refuse("signature", "the DPoP proof's signature does not verify under its own key");
  if (error instanceof errors.JWTExpired)
    return error.claim === "iat"
      ? refuse("iat", "the DPoP proof is too old (iat)")
      : refuse("claims", `the DPoP proof's "${error.claim}" claim has passed`);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iat" && error.reason !== "missing")
      return refuse("iat", "the DPoP proof was issued in the future or has no valid iat");
    return refuse("claims", `the DPoP proof's "${error.claim}" claim is missing or not accepted`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse("alg", "the DPoP proof's algorithm is not accepted");
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return refuse("malformed", "the DPoP proof is not a well-formed JWT");
  // JWKInvalid, JOSENotSupported, or a DOMException from importing the key (a point not on the curve).
  return refuse("jwk", "the DPoP proof's jwk is not a usable public key");
}

/** Within the window around now, as jose's check (maxTokenAge 0, tolerance the window) has it. */
function iatAcceptable(iat: unknown, nowMs: number): boolean {
  const nowSeconds = Math.floor(nowMs / 1000);
  return (
    typeof iat === "number" &&
    nowSeconds - iat <= DPOP_IAT_WINDOW_SECONDS &&
    iat <= nowSeconds + DPOP_IAT_WINDOW_SECONDS
  );
}

type SignatureCheck = { ok: true; claims: Record<string, unknown>; jkt: string } | Refusal;

/**
 * The signature under the proof's own key, and its claims: verified in full, or — for the exact string
 * this process verified a moment ago (the Node proxy's gate, then the handler) — remembered
 * (verified-proofs.ts), with `iat` judged again against the wall clock. A proof carrying `exp` or `nbf` is
 * always verified in full, so jose keeps judging those times.
 */
async function verifiedProof(
  proof: string,
  alg: DpopAlgorithm,
  jwk: PublicJwk,
  currentDate: Date,
): Promise<SignatureCheck> {
  const nowMs = currentDate.getTime();
  const known = verifiedSignature(proof, nowMs);
  if (known && !("exp" in known.claims) && !("nbf" in known.claims)) {
    if (!iatAcceptable(known.claims.iat, nowMs)) return refuse("iat", "the DPoP proof is too old (iat)");
    return { ok: true, claims: known.claims, jkt: known.jkt };
  }
  try {
    const proofKey = await importProofKey(alg, jwk);
    const { payload: claims } = await jwtVerify(proof, proofKey.key, {
      algorithms: [...DPOP_ALGORITHMS],
      typ: DPOP_PROOF_TYPE,
      requiredClaims: ["jti", "htm", "htu", "iat"],
      // jose accepts iat within [now - maxTokenAge - tolerance, now + tolerance]: here ±window.
      maxTokenAge: 0,
      clockTolerance: DPOP_IAT_WINDOW_SECONDS,
      currentDate,
    });
    if (typeof claims.iat === "number") {
      const untilMs = (Math.floor(claims.iat) + DPOP_IAT_WINDOW_SECONDS + 1) * 1000;
      rememberSignature(proof, { claims, jkt: proofKey.jkt, untilMs }, nowMs);
    }
    return { ok: true, claims, jkt: proofKey.jkt };
  } catch (error) {
    return describeVerifyError(error);
  }
}

/**
 * One proof against one request. `dpopHeader` is the request's DPoP header as `Headers.get` returns it
 * (several headers arrive joined by ", ").
 */
export async function verifyDpopProof(
  dpopHeader: string | null,
  request: ProofRequest,
  options: ProofOptions = {},
): Promise<ProofCheck> {
  if (dpopHeader === null || dpopHeader === "") return refuse("missing", "send a DPoP proof in the DPoP header");
  if (dpopHeader.includes(",")) return refuse("multiple", "send exactly one DPoP header");
  const proof = dpopHeader.trim();
  if (proof.length > MAX_PROOF_LENGTH) return refuse("too_long", "the DPoP proof is too long");
  if (!COMPACT_JWS.test(proof) || !isCanonicalBase64url(proof.slice(proof.lastIndexOf(".") + 1)))
    return refuse("malformed", "the DPoP proof is not a compact JWS");

  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
  } catch {
    return refuse("malformed", "the DPoP proof's header is not a JSON object");
  }
  if (!isProofType(header.typ)) return refuse("typ", 'the DPoP proof\'s typ must be "dpop+jwt"');
  if (!isDpopAlgorithm(header.alg)) return refuse("alg", `the DPoP proof's alg must be one of ${DPOP_ALGORITHMS}`);
  const jwk = publicKeyFor(header.alg, header.jwk);
  if (!jwk) return refuse("jwk", "the DPoP proof's jwk must be a public key of its algorithm, with no private member");

  const { currentDate = wallClock.now() } = options;
  const signed = await verifiedProof(proof, header.alg, jwk, currentDate);
  if (!signed.ok) return signed;
  const { claims, jkt } = signed;

  const { jti, htm, htu, iat, ath } = claims;
  if (typeof jti !== "string" || jti.length > MAX_JTI_LENGTH || !PRINTABLE.test(jti))
    return refuse("claims", `the DPoP proof's jti must be 1–${MAX_JTI_LENGTH} printable characters`);
  if (typeof htm !== "string" || typeof htu !== "string" || typeof iat !== "number")
    return refuse("claims", "the DPoP proof's htm and htu must be strings, iat a number");
  if (htm !== request.method) return refuse("htm", `the DPoP proof is for ${htm.slice(0, 10)}, not ${request.method}`);
  if (request.htu === null || normaliseHtu(htu) !== request.htu)
    return refuse("htu", "the DPoP proof's htu is not this request's URI");
  if (options.accessToken !== undefined) {
    if (typeof ath !== "string" || ath !== (await accessTokenHash(options.accessToken)))
      return refuse("ath", "the DPoP proof's ath is not the hash of the access token sent with it");
  }
  if (options.boundJkt !== undefined && jkt !== options.boundJkt)
    return refuse("key_mismatch", "the DPoP proof is signed by a key this token is not bound to");
  if (options.requireNonce && !(await isFreshNonce(claims.nonce, currentDate.getTime())))
    return refuse("nonce", "the DPoP proof must carry the nonce this server handed out in DPoP-Nonce");
  return {
    ok: true,
    proof: {
      jkt,
      jti,
      iat,
      acceptableUntilMs: (Math.floor(iat) + DPOP_IAT_WINDOW_SECONDS + 1) * 1000,
      header: { alg: header.alg, typ: DPOP_PROOF_TYPE, jwk },
      claims,
    },
  };
}
