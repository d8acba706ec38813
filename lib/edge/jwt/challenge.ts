/**
 * WWW-Authenticate challenges: RFC 6750 §3 for Bearer, RFC 9449 §7.1 for DPoP. A request with no
 * token gets the bare challenges (RFC 6750 §3.1: "SHOULD NOT include an error code"; RFC 9449 §7.2:
 * a server that accepts both schemes offers both); a bad token gets error="invalid_token", a bad
 * DPoP proof error="invalid_dpop_proof" (error="use_dpop_nonce" when it lacks the server's nonce,
 * RFC 9449 §9), a role failure error="insufficient_scope" (403). The DPoP
 * challenge lists the proof algorithms accepted (`algs`, RFC 9449 §7.1).
 */
import { DPOP_ALGORITHMS } from "@/lib/edge/dpop/verify-proof";

export const REALM = "authlab";

/** Quoted-string per RFC 9110 §5.6.4: escape backslash and quote, drop anything outside printable ASCII. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, "").replace(/["\\]/g, "\\$&")}"`;
}

type BearerError = "invalid_token" | "invalid_request" | "insufficient_scope";
type DpopError = "invalid_token" | "invalid_dpop_proof" | "use_dpop_nonce" | "invalid_request" | "insufficient_scope";

function bearerParts(error?: BearerError, description?: string): string {
  const parts = [`Bearer realm=${quoted(REALM)}`];
  if (error) parts.push(`error=${quoted(error)}`);
  if (error && description) parts.push(`error_description=${quoted(description)}`);
  return parts.join(", ");
}

function dpopParts(error?: DpopError, description?: string): string {
  const parts: string[] = [];
  if (error) parts.push(`error=${quoted(error)}`);
  if (error && description) parts.push(`error_description=${quoted(description)}`);
  parts.push(`algs=${quoted(DPOP_ALGORITHMS.join(" "))}`);
  return `DPoP ${parts.join(", ")}`;
}

export function bearerChallenge(error?: BearerError, description?: string): Record<string, string> {
  return { "www-authenticate": bearerParts(error, description) };
}

export function dpopChallenge(error?: DpopError, description?: string): Record<string, string> {
  return { "www-authenticate": dpopParts(error, description) };
}

/** No credentials: both schemes offered, or DPoP alone when DPOP_REQUIRED. */
export function missingCredentialsChallenge(dpopRequired: boolean): Record<string, string> {
  return { "www-authenticate": dpopRequired ? dpopParts() : `${bearerParts()}, ${dpopParts()}` };
}
