/**
 * "Is the caller on this machine?" — for endpoints that are open to loopback only (GET /api/metrics
 * without METRICS_TOKEN).
 *
 * A route handler never sees the socket; it sees X-Forwarded-For, which is only as good as whatever
 * set it. It is trusted here in two cases only: the project's launcher (scripts/server.mjs) rewrote it
 * from the socket for this process (it marks the process through a globalThis slot no request can
 * reach), or the operator declared TRUST_PROXY_HOPS reverse proxies that append to it. Under plain
 * `next start` with no proxy declared, a client could send `X-Forwarded-For: 127.0.0.1`, so the answer
 * is "no": such deployments set METRICS_TOKEN.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { clientIp } from "@/lib/edge/http/request-context";

const NORMALISED = Symbol.for("authlab.forwardedHeadersNormalised");

export function forwardedHeadersTrusted(): boolean {
  return (globalThis as Record<symbol, unknown>)[NORMALISED] === true || config().http.trustProxyHops > 0;
}

/** 127.0.0.0/8 and ::1 (clientIp already turned ::ffff:127.x.y.z into 127.x.y.z). */
export function isLoopbackAddress(ip: string | null): boolean {
  if (!ip) return false;
  return ip === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

export function fromLoopback(headers: Pick<Headers, "get">): boolean {
  return forwardedHeadersTrusted() && isLoopbackAddress(clientIp(headers));
}
