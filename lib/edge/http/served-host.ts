/**
 * DNS rebinding defence for development servers. A page on http://evil.example:3000 whose DNS name
 * the attacker re-points at 127.0.0.1 reaches the developer's server from the attacker's own origin:
 * the browser sends `Host: evil.example:3000` and a matching `Origin`, so an own-origin check that
 * trusts Host passes, and the page can read every answer (DNS rebinding). The server therefore answers
 * only for the names it is served under: localhost, 127.0.0.1, [::1], the configured HOST and
 * APP_ORIGIN's host. Anything else is 421 Misdirected Request (RFC 9110 §15.5.20: this server will
 * not answer for that authority) — for pages and API alike, before any work is done.
 *
 * Development and test mode only. A production server is reached through names an operator chose
 * (proxies, load balancers, internal health checks), and is not hidden on a private network: there
 * APP_ORIGIN pins the origin the CSRF check accepts. The port is not compared: a rebinding page
 * necessarily uses the server's own port, so only the name tells it apart.
 */
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";

type HeaderSource = Pick<Headers, "get">;

export type HostVerdict = { ok: true } | { ok: false; reason: string };

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
/** Listening addresses that are not names anyone browses to. */
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

let served: Set<string> | undefined;

function servedNames(): Set<string> {
  if (served) return served;
  const settings = config();
  const names = new Set(LOOPBACK_NAMES);
  const host = settings.server.host.toLowerCase();
  if (!WILDCARD_HOSTS.has(host)) names.add(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
  if (settings.http.appOrigin) names.add(new URL(settings.http.appOrigin).hostname);
  served = names;
  return names;
}

/** RFC 9110 §7.2 Host: a reg-name or IP literal, then an optional port — nothing else. */
const HOST_HEADER = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The name in a Host header (`name[:port]`), lower-cased; null when it is not exactly that. */
function hostName(host: string): string | null {
  const match = HOST_HEADER.exec(host);
  return match ? match[1]!.toLowerCase() : null;
}

export function checkServedHost(headers: HeaderSource): HostVerdict {
  if (config().env === "production") return { ok: true };
  const host = headers.get("host") ?? "";
  const name = hostName(host);
  if (name !== null && servedNames().has(name)) return { ok: true };
  return {
    ok: false,
    reason: `this development server does not answer for the host ${JSON.stringify(host.slice(0, 100))}`,
  };
}

export function assertServedHost(headers: HeaderSource): void {
  const verdict = checkServedHost(headers);
  if (!verdict.ok) throw new AppError("misdirected_request", verdict.reason);
}
