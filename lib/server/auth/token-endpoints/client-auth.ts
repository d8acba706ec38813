/**
 * Client authentication for the RFC 7009 / RFC 7662 endpoints: HTTP Basic with a client id and secret
 * from INTROSPECTION_CLIENTS (RFC 6749 §2.3.1: both form-urlencoded, then `id:secret` in base64).
 *
 * The secret is compared in constant time, as SHA-256 digests of equal length, and an unknown id is
 * compared against a dummy so the answer's timing does not tell which ids exist (OWASP Authentication Cheat Sheet: uniform responses). Secrets
 * are never logged or echoed: a failure says only that authentication failed. A failure is 401
 * `invalid_client` with `WWW-Authenticate: Basic realm="authlab"` (RFC 6749 §5.2).
 */
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { REALM } from "@/lib/edge/jwt/challenge";

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;
const BASIC_SCHEME = /^basic(\s|$)/i;
/** Compared when the id is unknown, so both paths do the same work. */
const NO_CLIENT = "\u0000no such client";

export function invalidClient(description = "client authentication failed"): AppError {
  return new AppError("invalid_client", description, {
    headers: { "www-authenticate": `Basic realm="${REALM}"` },
  });
}

export function usesBasic(authorization: string | null): boolean {
  return authorization !== null && BASIC_SCHEME.test(authorization);
}

function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** The authenticated client's id; throws invalid_client for anything else (no header, a bad one, a wrong secret). */
export function authenticateClient(authorization: string | null): string {
  const match = authorization ? BASIC.exec(authorization) : null;
  if (!match) throw invalidClient("authenticate with HTTP Basic: a client id and secret from INTROSPECTION_CLIENTS");
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const id = colon < 0 ? null : formDecode(decoded.slice(0, colon));
  const secret = colon < 0 ? null : formDecode(decoded.slice(colon + 1));
  const client = config().introspection.clients.find((c) => c.id === id);
  const matches = timingSafeEqual(digest(client?.secret ?? NO_CLIENT), digest(secret ?? ""));
  if (!client || !matches || secret === null) throw invalidClient();
  return client.id;
}
