/**
 * The refresh token itself: `<locator>.<secret>`, both unpadded base64url.
 *
 * - The locator (128 random bits) is the same in every token of a family, and SHA-256 of it is the
 *   family's id. The family row stores only the live token's hash and its parent's (bounded
 *   state), yet a token the family has rotated past — an ancestor — still names its family, so presenting
 *   it is recognised as reuse and ends the family (RFC 9700 §4.14.2). Only someone who has held a token of
 *   the family knows its locator, and such a holder could end the family by presenting that token anyway.
 * - The secret (256 bits) of a successor is HKDF-SHA-256 (RFC 5869) of its parent token with a fresh
 *   random salt kept on the family row. So when the parent is presented again inside the reuse grace
 *   window (SECURITY.md, "Trade-off, by design"), the server can hand out the same successor again — one live token, never
 *   two — without storing any token: the salt alone, without the parent, yields nothing.
 *
 * Families started before locators existed hold a bare 43-character secret; they are found by hash and
 * keep that form until they end (they cannot recognise ancestors).
 */
import "server-only";
import { hkdfSync, randomBytes } from "node:crypto";
import { REFRESH_TOKEN_BYTES, sha256Hex } from "@/lib/server/auth/random";

const LOCATOR_BYTES = 16;
const SALT_BYTES = 32;
/** RFC 5869 §3.2: `info` binds the derived key to its one use. */
const SUCCESSOR_INFO = "authlab refresh-token successor v1";

const TOKEN_FORMAT = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;
const LEGACY_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface PresentedToken {
  token: string;
  /** SHA-256 (hex) of the whole token: what the family row stores. */
  hash: string;
  /** The family the locator names; null for a token of a family started before locators. */
  familyId: string | null;
}

export function familyIdOf(locator: string): string {
  return sha256Hex(locator);
}

/** Null for anything we never issue (the caller answers `invalid_grant`, reason `unknown`). */
export function parseRefreshToken(value: string): PresentedToken | null {
  const match = TOKEN_FORMAT.exec(value);
  if (match) return { token: value, hash: sha256Hex(value), familyId: familyIdOf(match[1]!) };
  if (LEGACY_FORMAT.test(value)) return { token: value, hash: sha256Hex(value), familyId: null };
  return null;
}

/** The first token of a new family, and the family's id. */
export function firstToken(): { token: string; familyId: string } {
  const locator = randomBytes(LOCATOR_BYTES).toString("base64url");
  const secret = randomBytes(REFRESH_TOKEN_BYTES).toString("base64url");
  return { token: `${locator}.${secret}`, familyId: familyIdOf(locator) };
}

export function newSuccessorSalt(): string {
  return randomBytes(SALT_BYTES).toString("base64url");
}

/** The token that follows `parent` under `salt`: the same every time, for whoever holds the parent. */
export function successorOf(parent: string, salt: string): string {
  const secret = Buffer.from(
    hkdfSync(
      "sha256",
      Buffer.from(parent, "utf8"),
      Buffer.from(salt, "base64url"),
      SUCCESSOR_INFO,
      REFRESH_TOKEN_BYTES,
    ),
  ).toString("base64url");
  const locator = TOKEN_FORMAT.exec(parent)?.[1];
  return locator ? `${locator}.${secret}` : secret;
}
