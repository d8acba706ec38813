/**
 * Facts about the caller that the auth code needs: address, user agent, whether the connection is
 * HTTPS, and the app's own origin.
 *
 * X-Forwarded-For and X-Forwarded-Proto are as trustworthy as what sets them. The project's launcher
 * (scripts/server.mjs) rewrites them from the socket before Next sees the request. Plain `next start`
 * keeps whatever the client sent (Next's base-server assigns them with `??=`), so there a reverse proxy
 * must set them (TRUST_PROXY_HOPS=1); without one, the per-address sign-in limit trusts the client's
 * claim, while the per-account limit does not depend on the address at all.
 */
import { config } from "@/lib/edge/config";
import { parseIpAddress } from "@/lib/edge/http/ip-address";

/** Enough to recognise a browser in /sessions; longer strings are cut, not rejected. */
export const MAX_USER_AGENT_LENGTH = 256;

type HeaderSource = Pick<Headers, "get">;

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  secure: boolean;
  origin: string;
}

/**
 * The rightmost address a trusted hop appended (see TRUST_PROXY_HOPS), or the socket's: canonical,
 * without the port some proxies append (ip-address.ts); null when it is not an address.
 */
export function clientIp(headers: HeaderSource, trustProxyHops = config().http.trustProxyHops): string | null {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return null;
  const index = Math.max(0, chain.length - 1 - trustProxyHops);
  return parseIpAddress(chain[index]!);
}

export function isSecure(headers: HeaderSource): boolean {
  const origin = config().http.appOrigin;
  if (origin) return origin.startsWith("https:");
  return headers.get("x-forwarded-proto") === "https";
}

/** The origin browsers see for this app: APP_ORIGIN when set, else the Host the request was sent to. */
export function ownOrigin(headers: HeaderSource): string {
  const configured = config().http.appOrigin;
  if (configured) return configured;
  const host = headers.get("host") ?? "localhost";
  return `${isSecure(headers) ? "https" : "http"}://${host}`;
}

export function requestContext(headers: HeaderSource): RequestContext {
  const userAgent = headers.get("user-agent");
  return {
    ip: clientIp(headers),
    userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null,
    secure: isSecure(headers),
    origin: ownOrigin(headers),
  };
}
