/**
 * "Who does this request's Bearer token belong to?" — the one answer the Edge middleware and the
 * Node route handlers share. Each runs it for itself: the middleware is the early gate, and a handler
 * never trusts that the middleware ran (CVE-2025-29927 showed it can be skipped).
 *
 * A token already verified in this process (or isolate) costs a map lookup (verified-cache.ts).
 */
import { config } from "@/lib/edge/config";
import type { AppError } from "@/lib/edge/errors";
import type { AccessClaims } from "./claims";
import { keyRingFor } from "./keys";
import { malformedAuthorization, missingToken, invalidToken } from "./rejections";
import { verifyAccessToken } from "./verify";

/** RFC 6750 §2.1: `Bearer` 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const BEARER_SCHEME = /^bearer(\s|$)/i;

export type BearerCredential = { kind: "missing" } | { kind: "malformed" } | { kind: "token"; token: string };

export function readBearer(authorization: string | null): BearerCredential {
  if (!authorization || !BEARER_SCHEME.test(authorization)) return { kind: "missing" };
  const match = BEARER.exec(authorization);
  return match ? { kind: "token", token: match[1]! } : { kind: "malformed" };
}

export type BearerAuthentication =
  | { ok: true; token: string; claims: AccessClaims; kid: string; cached: boolean; verifyMs: number }
  | { ok: false; error: AppError; verifyMs: number };

export async function authenticateBearer(
  authorization: string | null,
  options: { currentDate?: Date } = {},
): Promise<BearerAuthentication> {
  const credential = readBearer(authorization);
  if (credential.kind === "missing") return { ok: false, error: missingToken(), verifyMs: 0 };
  if (credential.kind === "malformed") return { ok: false, error: malformedAuthorization(), verifyMs: 0 };
  const settings = config();
  // Imported once per process; the first request waits for it, but it is not part of a check's cost.
  const ring = await keyRingFor(settings.jwtPrivateKeys);
  const started = performance.now();
  const result = await verifyAccessToken(credential.token, ring, {
    issuer: settings.jwtIssuer,
    audience: settings.jwtAudience,
    currentDate: options.currentDate,
    useCache: true,
  });
  const verifyMs = performance.now() - started;
  if (!result.ok) return { ok: false, error: invalidToken(result.reason, result.description), verifyMs };
  return { ok: true, token: credential.token, claims: result.claims, kid: result.kid, cached: result.cached, verifyMs };
}
