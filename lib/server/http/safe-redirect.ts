/**
 * `next=` after sign-in: only a path on this site (OWASP Unvalidated Redirects and Forwards Cheat
 * Sheet). `//evil.example`, `/\evil.example`, `https://…`, `javascript:` and anything with control
 * characters fall back to the default.
 */
import "server-only";
export const DEFAULT_AFTER_LOGIN = "/dashboard";
const BASE = "http://authlab.invalid";

export function safeNextPath(raw: unknown, fallback = DEFAULT_AFTER_LOGIN): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 512) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  try {
    const url = new URL(raw, BASE);
    if (url.origin !== BASE) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
