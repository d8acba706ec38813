/**
 * "Who does this request's access token belong to?" — the one answer the Edge middleware and the Node
 * route handlers share. Each runs it for itself: the middleware is the early gate, and a handler never
 * trusts that the middleware ran (CVE-2025-29927 showed it can be skipped).
 *
 * Two schemes (docs/api.md, "Challenges and DPoP"):
 *  - `Authorization: Bearer <token>` (RFC 6750): refused for a token bound to a key (`cnf.jkt`,
 *    reason `dpop_required`, RFC 9449 §7.2), and for every token when DPOP_REQUIRED=true;
 *  - `Authorization: DPoP <token>` with a `DPoP: <proof>` header (RFC 9449 §7): the token must be
 *    bound, and the proof is checked by lib/edge/dpop/verify-proof.ts against this request, this token
 *    and its `cnf.jkt`; last, the caller's replay check (`firstSighting`) must not have seen its jti.
 * The token is verified first, so a forged or expired token is refused as such whatever the scheme.
 *
 * A token already verified in this process (or isolate) costs a map lookup (verified-cache.ts); a
 * proof is new on every request, so it is always verified in full.
 */
import { config } from "@/lib/edge/config";
import type { AppError } from "@/lib/edge/errors";
import { expectedHtu } from "@/lib/edge/dpop/htu";
import { currentNonce } from "@/lib/edge/dpop/nonce";
import { verifyDpopProof, type VerifiedProof } from "@/lib/edge/dpop/verify-proof";
import type { AccessClaims } from "./claims";
import { keyRingFor } from "./keys";
import {
  dpopRequired,
  invalidDpopProof,
  invalidToken,
  malformedAuthorization,
  missingToken,
  type Scheme,
} from "./rejections";
import { verifyAccessToken } from "./verify";

/** RFC 6750 §2.1 / RFC 9449 §7.1: the scheme (case-insensitive, RFC 9110 §11.1), 1*SP, a b64token. */
const CREDENTIALS = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^(bearer|dpop)(\s|$)/i;

export type Credential = { kind: "missing" } | { kind: "malformed" } | { kind: "token"; scheme: Scheme; token: string };

export function readAuthorization(authorization: string | null): Credential {
  if (!authorization || !SCHEME.test(authorization)) return { kind: "missing" };
  const match = CREDENTIALS.exec(authorization);
  if (!match) return { kind: "malformed" };
  const scheme: Scheme = match[1]!.toLowerCase() === "dpop" ? "DPoP" : "Bearer";
  return { kind: "token", scheme, token: match[2]! };
}

/** The parts of a request a token check reads (a Request, a NextRequest, or a test's stand-in). */
export interface TokenRequest {
  method: string;
  url: string;
  headers: Pick<Headers, "get">;
}

/** True the first time a layer sees this proof inside its window; false for a replay. */
export type ReplayCheck = (proof: VerifiedProof) => Promise<boolean>;

export interface AuthenticateOptions {
  /** The layer's replay check: the Edge's per-isolate cache, or Node's cache and shared store. */
  firstSighting: ReplayCheck;
  /** "Now" for the token and the proof: the wall clock unless a test fixes one (lib/edge/clock.ts). */
  currentDate?: Date;
}

export type Authentication =
  | {
      ok: true;
      token: string;
      scheme: Scheme;
      claims: AccessClaims;
      kid: string;
      cached: boolean;
      /** The verified proof, for the DPoP scheme. */
      proof: VerifiedProof | null;
      verifyMs: number;
      proofMs: number;
    }
  | { ok: false; error: AppError; verifyMs: number; proofMs: number };

export async function authenticate(request: TokenRequest, options: AuthenticateOptions): Promise<Authentication> {
  const settings = config();
  const credential = readAuthorization(request.headers.get("authorization"));
  if (credential.kind === "missing")
    return { ok: false, error: missingToken(settings.dpop.required), verifyMs: 0, proofMs: 0 };
  if (credential.kind === "malformed") return { ok: false, error: malformedAuthorization(), verifyMs: 0, proofMs: 0 };
  const { scheme, token } = credential;
  // Imported once per process; the first request waits for it, but it is not part of a check's cost.
  const ring = await keyRingFor(settings.jwt.privateKeys);
  const started = performance.now();
  const result = await verifyAccessToken(token, ring, {
    issuer: settings.jwt.issuer,
    audience: settings.jwt.audience,
    currentDate: options.currentDate,
    useCache: true,
  });
  const verifyMs = performance.now() - started;
  if (!result.ok)
    return { ok: false, error: invalidToken(result.reason, result.description, scheme), verifyMs, proofMs: 0 };
  const passed = { ok: true as const, token, scheme, claims: result.claims, kid: result.kid, cached: result.cached };
  const boundJkt = result.claims.cnf?.jkt;

  if (scheme === "Bearer") {
    if (boundJkt) {
      const error = dpopRequired("this token is bound to a DPoP key: send it as Authorization: DPoP, with a proof");
      return { ok: false, error, verifyMs, proofMs: 0 };
    }
    if (settings.dpop.required) {
      const error = dpopRequired("this server accepts only DPoP-bound tokens (DPOP_REQUIRED)");
      return { ok: false, error, verifyMs, proofMs: 0 };
    }
    return { ...passed, proof: null, verifyMs, proofMs: 0 };
  }

  if (!boundJkt) {
    const error = invalidDpopProof("not_bound", "this token is not bound to a key: send it as Authorization: Bearer");
    return { ok: false, error, verifyMs, proofMs: 0 };
  }
  const proofStarted = performance.now();
  const checked = await verifyDpopProof(
    request.headers.get("dpop"),
    { method: request.method, htu: expectedHtu(request.url, request.headers) },
    { accessToken: token, boundJkt, requireNonce: settings.dpop.nonceRequired, currentDate: options.currentDate },
  );
  const fresh = checked.ok && (await options.firstSighting(checked.proof));
  const proofMs = performance.now() - proofStarted;
  if (!checked.ok) {
    // RFC 9449 §9: the refusal hands out the nonce to use.
    const nonce = checked.problem === "nonce" ? await currentNonce(options.currentDate?.getTime()) : undefined;
    return { ok: false, error: invalidDpopProof(checked.problem, checked.description, nonce), verifyMs, proofMs };
  }
  if (!fresh) {
    const error = invalidDpopProof("replayed", "this DPoP proof was already used: make a new one for every request");
    return { ok: false, error, verifyMs, proofMs };
  }
  return { ...passed, proof: checked.proof, verifyMs, proofMs };
}
