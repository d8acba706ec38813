/**
 * Who may read /api/metrics (SECURITY.md, metrics): a scraper with `Authorization: Bearer <METRICS_TOKEN>`
 * when that is set, otherwise only a caller on loopback (lib/server/http/loopback.ts says when that
 * can be known). The token is compared in constant time, as digests so its length does not leak
 * either (OWASP: compare secrets in constant time).
 *
 * The middleware does not run for /api/metrics (middleware.ts matcher), so this Bearer value is never
 * taken for an access token; nor is an access token ever accepted here.
 */
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { readAuthorization, type Credential } from "@/lib/edge/jwt/authenticate";
import { fromLoopback } from "@/lib/server/http/loopback";

const CHALLENGE = { "www-authenticate": 'Bearer realm="authlab-metrics"' };

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The scrape token travels as Bearer only: any other scheme (DPoP included) is no credential here. */
function bearerOnly(credential: Credential): Credential {
  return credential.kind === "token" && credential.scheme !== "Bearer" ? { kind: "missing" } : credential;
}

export function assertMayScrape(headers: Pick<Headers, "get">): void {
  const token = config().metrics.token;
  if (token) {
    const credential = bearerOnly(readAuthorization(headers.get("authorization")));
    if (credential.kind === "missing")
      throw new AppError("missing_token", "metrics need Authorization: Bearer <METRICS_TOKEN>", { headers: CHALLENGE });
    if (credential.kind !== "token" || !sameSecret(credential.token, token))
      throw new AppError("invalid_token", "that is not the metrics token", { headers: CHALLENGE });
    return;
  }
  if (!fromLoopback(headers))
    throw new AppError("forbidden", "without METRICS_TOKEN, metrics are served to this machine (loopback) only");
}
