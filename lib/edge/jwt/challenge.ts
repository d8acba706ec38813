/**
 * RFC 6750 §3 WWW-Authenticate challenges. A request with no token gets the bare challenge (§3.1:
 * "SHOULD NOT include an error code"); a bad token gets error="invalid_token" (§3.1), a role
 * failure error="insufficient_scope" (403).
 */
export const REALM = "authlab";

/** Quoted-string per RFC 9110 §5.6.4: escape backslash and quote, drop anything outside printable ASCII. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, "").replace(/["\\]/g, "\\$&")}"`;
}

export function bearerChallenge(
  error?: "invalid_token" | "invalid_request" | "insufficient_scope",
  description?: string,
): Record<string, string> {
  const parts = [`Bearer realm=${quoted(REALM)}`];
  if (error) parts.push(`error=${quoted(error)}`);
  if (error && description) parts.push(`error_description=${quoted(description)}`);
  return { "www-authenticate": parts.join(", ") };
}
