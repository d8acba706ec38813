/**
 * The `htu` of a DPoP proof and the URI it must match (RFC 9449 §4.3 check 9): scheme, host and path of
 * the request, "ignoring any query and fragment parts", compared after the normalisation RFC 3986 §6.2.2
 * and §6.2.3 describe. The WHATWG URL parser does most of it (scheme and host lower-cased, default port
 * dropped, dot segments removed, an empty path made "/"); percent-encoding is normalised here (hex digits
 * upper-cased, unreserved characters decoded), because the parser leaves it as sent.
 *
 * What is trusted for the expected value: APP_ORIGIN when it is set — the origin every client was told
 * to use, whatever Host or X-Forwarded-* a request carries; without it, the request's own origin
 * (request-context.ts: Host, and the scheme the launcher or a trusted proxy reports). A development
 * server answers only for its own names (served-host.ts), so there Host is pinned too. In production set
 * APP_ORIGIN: then a proof made for another host is refused even if a client sends that Host here.
 * Web APIs only.
 */
import { ownOrigin } from "@/lib/edge/http/request-context";

type HeaderSource = Pick<Headers, "get">;

/** Far longer than any URL of ours; a longer `htu` is refused before it is parsed. */
export const MAX_HTU_LENGTH = 2048;
const UNRESERVED = /^[A-Za-z0-9._~-]$/;
const PERCENT_ENCODED = /%([0-9A-Fa-f]{2})/g;

function normalisePercentEncoding(path: string): string {
  return path.replace(PERCENT_ENCODED, (_, hex: string) => {
    const character = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(character) ? character : `%${hex.toUpperCase()}`;
  });
}

/** `origin + path` of an http(s) URI, normalised; null for anything else (or a URI with userinfo). */
export function normaliseHtu(value: string): string | null {
  if (value.length > MAX_HTU_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username !== "" || url.password !== "") return null;
  return `${url.origin}${normalisePercentEncoding(url.pathname)}`;
}

/** The `htu` a proof sent with this request must carry, normalised; null when the request names no usable origin. */
export function expectedHtu(requestUrl: string, headers: HeaderSource): string | null {
  let pathname: string;
  try {
    pathname = new URL(requestUrl).pathname;
  } catch {
    return null;
  }
  return normaliseHtu(`${ownOrigin(headers)}${pathname}`);
}
