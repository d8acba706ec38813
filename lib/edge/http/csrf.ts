/**
 * Cross-site request forgery defence for cookie-authenticated state changes (and login itself:
 * login CSRF signs a victim into the attacker's account).
 *
 * OWASP CSRF Prevention Cheat Sheet, "Verifying Origin With Standard Headers" and "Fetch Metadata":
 * browsers always send Origin on cross-origin POST/PUT/DELETE and Sec-Fetch-Site on every request,
 * and a page cannot forge either. A request with neither comes from something that is not a browser,
 * which cannot carry a victim's cookies, so it is let through. SameSite=Lax on the session cookie is
 * the second layer.
 *
 * Without APP_ORIGIN the own origin is built from Host, which a DNS-rebinding page controls; so a
 * development server first checks that Host is a name it serves (served-host.ts).
 */
import { AppError } from "@/lib/edge/errors";
import { ownOrigin } from "@/lib/edge/http/request-context";
import { checkServedHost } from "@/lib/edge/http/served-host";

type HeaderSource = Pick<Headers, "get">;

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

export function checkSameOrigin(headers: HeaderSource): CsrfVerdict {
  const host = checkServedHost(headers);
  if (!host.ok) return host;
  const origin = headers.get("origin");
  if (origin !== null) {
    return origin === ownOrigin(headers)
      ? { ok: true }
      : { ok: false, reason: `Origin ${origin.slice(0, 100)} is not this site` };
  }
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    return { ok: false, reason: `Sec-Fetch-Site is ${site.slice(0, 20)}` };
  }
  return { ok: true };
}

export function assertSameOrigin(headers: HeaderSource): void {
  const verdict = checkSameOrigin(headers);
  if (!verdict.ok) {
    throw new AppError("csrf", `cross-site request refused: ${verdict.reason}`);
  }
}
