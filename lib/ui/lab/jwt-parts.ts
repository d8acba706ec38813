/**
 * Decoding a JWT in the browser, to show that anyone can: base64url is an encoding, not encryption.
 * Nothing here verifies anything. jose does the decoding (the same library the server verifies
 * with); the tamper helpers only re-encode a part and keep the rest.
 */
import { base64url, decodeJwt as decodePayload, decodeProtectedHeader } from "jose";

export interface DecodedJwt {
  parts: [string, string, string];
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    return {
      parts: parts as [string, string, string],
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      payload: decodePayload(token) as Record<string, unknown>,
    };
  } catch {
    return null;
  }
}

/** The token with its payload replaced and its signature kept: what a tamperer sends. */
export function withPayload(token: string, payloadJson: string): string {
  const [header, , signature] = token.split(".");
  return `${header}.${base64url.encode(payloadJson)}.${signature}`;
}

/** An unsigned token (`alg: none`, empty signature) with the same claims. */
export function unsigned(token: string): string {
  const decoded = decodeJwt(token);
  if (!decoded) return token;
  const header = base64url.encode(JSON.stringify({ ...decoded.header, alg: "none" }));
  return `${header}.${decoded.parts[1]}.`;
}
