/**
 * Base64url has one spelling per byte string (RFC 4648 §3.5: pad bits are zero), but decoders ignore
 * the unused low bits of the last character, so `…Q` and `…R` can decode alike. A signature whose
 * last character carries set pad bits is not one a signer produced: refusing it keeps one token (or
 * DPoP proof) to one string. Web APIs only.
 */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function isCanonicalBase64url(segment: string): boolean {
  if (!BASE64URL.test(segment)) return false;
  const remainder = segment.length % 4;
  const last = segment.at(-1) ?? "";
  if (remainder === 1) return false;
  if (remainder === 2) return "AQgw".includes(last);
  if (remainder === 3) return "AEIMQUYcgkosw048".includes(last);
  return true;
}
