/**
 * Random tokens and their digests (Node only).
 *
 * Tokens are stored only as SHA-256 digests (OWASP Session Management Cheat Sheet: session IDs are
 * secrets; store a hash so a leaked table cannot be replayed). Lookups are by digest, so a timing
 * difference in the store's key comparison reveals bits of a hash of a 128-bit random value, which
 * an attacker cannot turn back into a cookie.
 */
import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_TOKEN_BYTES = 16; // 128 bits: OWASP's minimum session ID entropy is 64 bits.
export const REFRESH_TOKEN_BYTES = 32; // 256 bits.
export const PUBLIC_ID_BYTES = 12;

/**
 * A refresh token as we issue it (lib/server/auth/refresh/token.ts): a 128-bit family locator and
 * REFRESH_TOKEN_BYTES of secret in unpadded base64url, or the bare secret of a family started before
 * locators.
 */
const REFRESH_TOKEN_FORMAT = /^(?:[A-Za-z0-9_-]{22}\.)?[A-Za-z0-9_-]{43}$/;

export function isRefreshTokenFormat(value: string): boolean {
  return REFRESH_TOKEN_FORMAT.test(value);
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Equality of two SHA-256 hex digests in constant time (OWASP: compare secrets and their digests in constant time). */
export function sameDigest(a: string, b: string | null): boolean {
  if (b === null || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
