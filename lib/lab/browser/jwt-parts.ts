/**
 * Decoding a JWT in the browser, to show that anyone can: base64url is an encoding, not encryption.
 * Nothing here verifies anything.
 */
export interface DecodedJwt {
  parts: [string, string, string];
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export function base64UrlToText(segment: string): string {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(segment.length / 4) * 4, "=");
  const binary = atob(base64);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function textToBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    return {
      parts: parts as [string, string, string],
      header: JSON.parse(base64UrlToText(parts[0]!)),
      payload: JSON.parse(base64UrlToText(parts[1]!)),
    };
  } catch {
    return null;
  }
}

/** The token with its payload replaced and its signature kept: what a tamperer sends. */
export function withPayload(token: string, payloadJson: string): string {
  const [header, , signature] = token.split(".");
  return `${header}.${textToBase64Url(payloadJson)}.${signature}`;
}

/** An unsigned token (`alg: none`, empty signature) with the same claims. */
export function unsigned(token: string): string {
  const decoded = decodeJwt(token);
  if (!decoded) return token;
  const header = textToBase64Url(JSON.stringify({ ...decoded.header, alg: "none" }));
  return `${header}.${decoded.parts[1]}.`;
}
