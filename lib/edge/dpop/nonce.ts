/**
 * DPoP server nonces (RFC 9449 §8 at the token endpoints, §9 at resources), when DPOP_NONCE=true: a proof
 * must carry a `nonce` claim the server handed out recently, so a proof cannot be made ahead of time — a
 * client whose signing is briefly in an attacker's hands (script in the page) cannot stockpile proofs for
 * later. Off by default: a client then needs one more round trip to learn the first nonce.
 *
 * Stateless, so every instance (and the Edge middleware) issues and checks the same nonces without a
 * store: a nonce is the number of the current NONCE_PERIOD_MS period and an HMAC-SHA-256 of it under a key
 * derived from SESSION_PASSWORD (its highest id). One from the current or the previous period is fresh,
 * so a nonce lives one to two periods. Web APIs only.
 */
import { wallClock } from "@/lib/edge/clock";
import { config } from "@/lib/edge/config";
import { processSingleton } from "@/lib/edge/singleton";

export const DPOP_NONCE_HEADER = "dpop-nonce";
/** A nonce is fresh in its own period and the next: one to two minutes. */
export const NONCE_PERIOD_MS = 60_000;
/** RFC 5869-style context: this key is for DPoP nonces and nothing else. */
const KEY_INFO = "authlab dpop nonce v1";
const MAC_CHARACTERS = 22;
const NONCE_FORMAT = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

const encoder = new TextEncoder();

function base64url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function hmacKey(raw: BufferSource): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** The nonce key, derived once per process (or isolate) from the password that seals new cookies. */
function nonceKey(): Promise<CryptoKey> {
  const passwords = config().session.passwords;
  const newest = Object.keys(passwords).sort((a, b) => Number(b) - Number(a))[0]!;
  const keys = processSingleton("dpopNonceKeys", () => new Map<string, Promise<CryptoKey>>());
  let key = keys.get(newest);
  if (!key) {
    key = (async () => {
      const derived = await crypto.subtle.sign(
        "HMAC",
        await hmacKey(encoder.encode(passwords[newest]!)),
        encoder.encode(KEY_INFO),
      );
      return hmacKey(derived);
    })();
    keys.set(newest, key);
  }
  return key;
}

async function nonceFor(period: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await nonceKey(), encoder.encode(`period:${period}`));
  return `${period.toString(36)}.${base64url(mac).slice(0, MAC_CHARACTERS)}`;
}

/** The nonce to hand out now (the DPoP-Nonce header). */
export function currentNonce(nowMs = wallClock.nowMs()): Promise<string> {
  return nonceFor(Math.floor(nowMs / NONCE_PERIOD_MS));
}

/** Equal strings, compared in time that does not depend on where they differ. */
function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** True for a nonce this server handed out in the current or the previous period. */
export async function isFreshNonce(value: unknown, nowMs = wallClock.nowMs()): Promise<boolean> {
  if (typeof value !== "string") return false;
  const match = NONCE_FORMAT.exec(value);
  if (!match) return false;
  const period = parseInt(match[1]!, 36);
  const current = Math.floor(nowMs / NONCE_PERIOD_MS);
  if (period !== current && period !== current - 1) return false;
  return sameString(value, await nonceFor(period));
}

/** Whether proofs must carry a nonce (DPOP_NONCE=true). */
export function noncesRequired(): boolean {
  return config().dpop.nonceRequired;
}

/**
 * A fresh nonce on a response to a request that carried a DPoP proof (RFC 9449 §8.2: the server may
 * supply the next nonce on any response), so a client keeps one without an extra round trip.
 */
export async function offerNonce(requestHeaders: Pick<Headers, "has">, responseHeaders: Headers): Promise<void> {
  if (!noncesRequired() || !requestHeaders.has("dpop") || responseHeaders.has(DPOP_NONCE_HEADER)) return;
  responseHeaders.set(DPOP_NONCE_HEADER, await currentNonce());
}
