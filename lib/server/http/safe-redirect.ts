/**
 * `next=` after sign-in: only a path on this site (OWASP Unvalidated Redirects and Forwards Cheat
 * Sheet). `//evil.example`, `/\evil.example`, `https://…`, `javascript:` and anything with control
 * characters fall back to the default.
 *
 * What is checked is what is returned. The value is normalised the way a browser will read it
 * (WHATWG URL: dot segments removed, `%2e` counted as a dot), and normalising can *make* a
 * network-path reference: `/.//evil.example` and `/%2e//evil.example` become `//evil.example`
 * (OWASP Unvalidated Redirects and Forwards). So the normalised path is checked again, and must read back unchanged.
 */
import "server-only";
export const DEFAULT_AFTER_LOGIN = "/dashboard";
const BASE = "http://authlab.invalid";
const MAX_LENGTH = 512;

/** A path-absolute reference that no browser reads as another host: one leading slash, no backslash, no controls. */
function isLocalPath(path: string): boolean {
  return (
    path.length > 0 &&
    path.length <= MAX_LENGTH &&
    path.startsWith("/") &&
    !path.startsWith("//") &&
    !/[\u0000-\u001f\u007f\\]/.test(path)
  );
}

/** The path as a browser resolves it against this site, or null when it leaves the site. */
function normalise(path: string): string | null {
  try {
    const url = new URL(path, BASE);
    return url.origin === BASE ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
}

export function safeNextPath(raw: unknown, fallback = DEFAULT_AFTER_LOGIN): string {
  if (typeof raw !== "string" || !isLocalPath(raw)) return fallback;
  const normalised = normalise(raw);
  // Normalising again must change nothing: the browser that follows the redirect sees this same path.
  if (normalised === null || !isLocalPath(normalised) || normalise(normalised) !== normalised) return fallback;
  return normalised;
}
