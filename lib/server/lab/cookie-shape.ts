/**
 * The shape of the sealed session cookie, for the dashboard. Only the shape: printing the full value
 * into the page would make an HttpOnly cookie readable by any script on it, which is the one thing
 * HttpOnly exists to prevent.
 */
import "server-only";
import { sessionCookieName } from "@/lib/edge/cookies";

export interface SealSegment {
  label: string;
  preview: string;
  bytes: number;
}

export interface CookieShape {
  name: string;
  bytes: number;
  passwordId: string | null;
  segments: SealSegment[];
  attributes: { httpOnly: true; sameSite: "Lax"; path: "/"; secure: boolean; hostPrefix: boolean };
}

const LABELS = [
  "format (iron Fe26.2)",
  "password id",
  "encryption salt",
  "IV",
  "ciphertext (AES-256-CBC)",
  "expiry (ms)",
  "HMAC salt",
  "HMAC-SHA-256",
];

export function cookieShape(seal: string, secure: boolean): CookieShape {
  const [body = "", version = ""] = seal.split("~");
  const parts = body.split("*");
  const segments = parts.map((part, i) => {
    const label = LABELS[i] ?? "extra";
    // The format, password id and expiry are not secret and short; everything else is shown by length.
    const visible = i === 0 || i === 1 || i === 5;
    return { label, preview: visible ? part : `${part.slice(0, 4)}…`, bytes: part.length };
  });
  if (version) segments.push({ label: "iron-session version", preview: `~${version}`, bytes: version.length + 1 });
  return {
    name: sessionCookieName(secure),
    bytes: seal.length,
    passwordId: parts[1] ?? null,
    segments,
    attributes: { httpOnly: true, sameSite: "Lax", path: "/", secure, hostPrefix: secure },
  };
}
