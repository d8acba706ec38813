/**
 * Our key ring, imported once per process (or Edge isolate) and reused: importing a JWK costs far
 * more than a verification, so re-importing per request would dominate the check.
 *
 * Web APIs only (jose's `importJWK` uses WebCrypto): the Edge middleware imports this module.
 */
import { importJWK, type CryptoKey } from "jose";
import { processSingleton } from "@/lib/edge/singleton";
import {
  signingKeyOf,
  toPublicJwk,
  type PrivateJwk,
  type PublicJwk,
  type SigningAlgorithm,
} from "@/lib/edge/jwt/jwks-schema";

export interface VerificationKey {
  kid: string;
  alg: SigningAlgorithm;
  key: CryptoKey;
}

export interface KeyRing {
  /** Public keys by kid: `kid` in a token header only ever selects from this map. */
  verification: ReadonlyMap<string, VerificationKey>;
  publicJwks: { keys: PublicJwk[] };
  signingKid: string;
}

/** The private half: same shape, a key that can sign. */
export type SigningKey = VerificationKey;

async function importPublic(jwk: PrivateJwk): Promise<VerificationKey> {
  const publicJwk = toPublicJwk(jwk);
  const key = (await importJWK(publicJwk, jwk.alg)) as CryptoKey;
  return { kid: jwk.kid, alg: jwk.alg, key };
}

export async function buildKeyRing(keys: readonly PrivateJwk[]): Promise<KeyRing> {
  const imported = await Promise.all(keys.map(importPublic));
  return {
    verification: new Map(imported.map((k) => [k.kid, k])),
    publicJwks: { keys: keys.map(toPublicJwk) },
    signingKid: signingKeyOf(keys).kid,
  };
}

export async function importSigningKey(keys: readonly PrivateJwk[]): Promise<SigningKey> {
  const jwk = signingKeyOf(keys);
  const { retireAt: _retireAt, ...material } = jwk;
  const key = (await importJWK(material, jwk.alg)) as CryptoKey;
  return { kid: jwk.kid, alg: jwk.alg, key };
}

/**
 * The ring for a key set, built on first use and cached for the life of the process (or isolate). Every
 * token check asks, so the parsed key array (config() keeps one per bundle) finds its ring by identity
 * first; a new array with the same keys (another bundle's config) finds it by the keys' ids.
 */
export function keyRingFor(keys: readonly PrivateJwk[]): Promise<KeyRing> {
  const byArray = processSingleton("keyRingsByArray", () => new WeakMap<readonly PrivateJwk[], Promise<KeyRing>>());
  const known = byArray.get(keys);
  if (known) return known;
  const ring = keyRingByIds(keys);
  byArray.set(keys, ring);
  ring.catch(() => byArray.delete(keys));
  return ring;
}

function keyRingByIds(keys: readonly PrivateJwk[]): Promise<KeyRing> {
  const rings = processSingleton("keyRings", () => new Map<string, Promise<KeyRing>>());
  const cacheKey = keys.map((k) => `${k.kid}:${k.x}`).join(",");
  let ring = rings.get(cacheKey);
  if (!ring) {
    ring = buildKeyRing(keys);
    rings.set(cacheKey, ring);
    ring.catch(() => rings.delete(cacheKey));
  }
  return ring;
}
