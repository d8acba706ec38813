/**
 * The shape of JWT_PRIVATE_JWKS: a JWK Set (RFC 7517 §5) of our own signing keys.
 *
 * Web-API only: parsed by lib/config.ts, which the Edge middleware imports too.
 */
import { z } from "zod";

/** Algorithms we sign with and the only ones verification accepts (RFC 8725 §3.1: pin the list). */
export const SIGNING_ALGORITHMS = ["ES256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, "must be base64url");
const kid = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "kid must be 1–64 characters of [A-Za-z0-9_.-]");
/** Unix seconds after which the key has signed nothing still valid; keys:rotate prunes it then. */
const retireAt = z.number().int().positive().optional();

const ecKey = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  alg: z.literal("ES256"),
  kid,
  x: base64url,
  y: base64url,
  d: base64url,
  retireAt,
});

const okpKey = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  alg: z.literal("EdDSA"),
  kid,
  x: base64url,
  d: base64url,
  retireAt,
});

const privateJwk = z.discriminatedUnion("kty", [ecKey, okpKey]);
export type PrivateJwk = z.infer<typeof privateJwk>;

const jwksSchema = z
  .object({ keys: z.array(privateJwk).min(1, "needs at least one key") })
  .refine((set) => new Set(set.keys.map((k) => k.kid)).size === set.keys.length, "kid values must be unique");

export type ParseJwksResult = { ok: true; keys: PrivateJwk[] } | { ok: false; message: string };

/** Parses a private JWK Set. The message never contains key material. */
export function parsePrivateJwks(raw: string): ParseJwksResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'expected a JSON JWK Set {"keys":[…]}' };
  }
  const parsed = jwksSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    return { ok: false, message: `not a valid ES256/EdDSA private JWK Set${where}: ${issue.message}` };
  }
  return { ok: true, keys: parsed.data.keys };
}

/** The key that signs new tokens: the last one in the set (keys:rotate appends). */
export function signingKeyOf(keys: readonly PrivateJwk[]): PrivateJwk {
  return keys[keys.length - 1]!;
}

/** Public members only (RFC 7517 §4, RFC 7518 §6.2.1 / RFC 8037 §2): never `d`. */
export function toPublicJwk(key: PrivateJwk) {
  const common = { kid: key.kid, alg: key.alg, use: "sig" as const };
  return key.kty === "EC"
    ? { kty: key.kty, crv: key.crv, x: key.x, y: key.y, ...common }
    : { kty: key.kty, crv: key.crv, x: key.x, ...common };
}
export type PublicJwk = ReturnType<typeof toPublicJwk>;
