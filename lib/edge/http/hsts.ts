/**
 * HTTP Strict Transport Security (RFC 6797): once a browser has seen it over HTTPS, it never talks
 * plain HTTP to this host again, so a network attacker cannot strip TLS from a later visit.
 *
 * Sent whenever the response reaches the browser over HTTPS. With APP_ORIGIN set, that is decided by
 * its scheme: behind a TLS-terminating proxy the app itself may see plain HTTP (with
 * TRUST_PROXY_HOPS=0 the launcher rewrites X-Forwarded-Proto from the socket), yet every browser
 * reached it as https://…. Without APP_ORIGIN, a trusted proxy's
 * X-Forwarded-Proto decides (request-context.ts). Browsers ignore the header over HTTP (§8.1), so a
 * client that fakes X-Forwarded-Proto gains nothing. next.config.ts cannot do this alone: its headers
 * are fixed at build time, and APP_ORIGIN is read when the server starts.
 */
import { isSecure } from "@/lib/edge/http/request-context";

type HeaderSource = Pick<Headers, "get">;

export const HSTS_HEADER = "strict-transport-security";
/** Two years, subdomains included: the hstspreload.org minimum is one year. */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/** Adds HSTS to a response's headers when the request came in over HTTPS. */
export function applyHsts(requestHeaders: HeaderSource, responseHeaders: Headers): void {
  if (isSecure(requestHeaders)) responseHeaders.set(HSTS_HEADER, HSTS_VALUE);
}
