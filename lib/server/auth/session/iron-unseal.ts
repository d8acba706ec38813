/**
 * Opens an iron-session seal with Node's own OpenSSL bindings instead of WebCrypto.
 *
 * iron-session opens a seal ("Fe26.2") through iron-webcrypto, which derives two keys with PBKDF2,
 * checks an HMAC-SHA-256 and decrypts AES-256-CBC: eight asynchronous WebCrypto calls, each a job on
 * libuv's thread pool. Measured on the benchmark machine that costs ~520 µs of CPU per seal, against
 * ~26 µs for the same four operations through node:crypto — and a cookie the server has not opened
 * before (after a restart, on another instance, beyond the unseal memo) pays it in full
 * (bench/README.md, "Cold paths").
 *
 * iron-webcrypto takes its crypto implementation as an argument (iron-session passes `uncrypto`'s
 * WebCrypto). Here it gets the four SubtleCrypto calls `unseal` makes — importKey("raw"), PBKDF2
 * deriveBits, HMAC sign, AES-CBC decrypt — backed by node:crypto's synchronous functions. Nothing
 * cryptographic is written here: the seal's parsing, the expiry check, the password choice and the
 * constant-time MAC comparison remain iron-webcrypto's, and the primitives are OpenSSL's. Anything
 * but exactly those parameters throws, so a change in the library fails closed (no session), never
 * open. Sealing (at sign-in, not on the hot path) stays with iron-session. tests/unit/iron-unseal.test.ts
 * checks it against iron-session's own unsealData, seal for seal.
 */
import "server-only";
import { createDecipheriv, createHmac, pbkdf2Sync } from "node:crypto";
import { defaults, unseal } from "iron-webcrypto";

/** iron-session appends its seal format version: `<iron seal>~2`. */
const SEAL_FORMAT_VERSION = "2";
const AES_256_KEY_BYTES = 32;

type KeyUse = "PBKDF2" | "HMAC-SHA-256" | "AES-256-CBC";

/** Stands in for a CryptoKey: raw key bytes and the one use they were imported for. */
class RawKey {
  constructor(
    readonly use: KeyUse,
    readonly bytes: Buffer,
  ) {}
}

function refuse(what: string): never {
  throw new Error(`iron-unseal: unsupported ${what}`);
}

const nameOf = (algorithm: unknown) =>
  typeof algorithm === "string" ? algorithm : ((algorithm as { name?: unknown })?.name ?? "");

const hashOf = (algorithm: unknown) => {
  const hash = (algorithm as { hash?: unknown })?.hash;
  return typeof hash === "string" ? hash : nameOf(hash);
};

const bytes = (data: ArrayBuffer | ArrayBufferView) =>
  ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

function asRawKey(key: unknown, use: KeyUse): RawKey {
  if (!(key instanceof RawKey) || key.use !== use) refuse(`key for ${use}`);
  return key;
}

const toArrayBuffer = (buffer: Buffer): ArrayBuffer =>
  buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;

const subtle = {
  async importKey(format: string, keyData: ArrayBuffer | Uint8Array, algorithm: unknown) {
    if (format !== "raw") refuse(`key format ${format}`);
    const name = nameOf(algorithm);
    const data = Buffer.from(bytes(keyData));
    if (name === "PBKDF2") return new RawKey("PBKDF2", data);
    if (name === "HMAC" && hashOf(algorithm) === "SHA-256") return new RawKey("HMAC-SHA-256", data);
    if (name === "AES-CBC" && data.length === AES_256_KEY_BYTES) return new RawKey("AES-256-CBC", data);
    return refuse(`key algorithm ${name}`);
  },
  async deriveBits(params: unknown, baseKey: unknown, length: number) {
    const { salt, iterations } = params as { salt?: ArrayBuffer | Uint8Array; iterations?: unknown };
    // Iron's key derivation: PBKDF2 with HMAC-SHA-1 over the password and the seal's salt.
    if (nameOf(params) !== "PBKDF2" || hashOf(params) !== "SHA-1") refuse("key derivation");
    if (!salt || !Number.isSafeInteger(iterations) || (iterations as number) < 1) refuse("PBKDF2 parameters");
    if (!Number.isSafeInteger(length) || length <= 0 || length % 8 !== 0) refuse("derived key length");
    const key = asRawKey(baseKey, "PBKDF2");
    return toArrayBuffer(pbkdf2Sync(key.bytes, bytes(salt), iterations as number, length / 8, "sha1"));
  },
  async sign(algorithm: unknown, key: unknown, data: Uint8Array) {
    if (nameOf(algorithm) !== "HMAC") refuse(`signature ${nameOf(algorithm)}`);
    return toArrayBuffer(createHmac("sha256", asRawKey(key, "HMAC-SHA-256").bytes).update(bytes(data)).digest());
  },
  async decrypt(algorithm: unknown, key: unknown, data: Uint8Array) {
    const { iv } = algorithm as { iv?: ArrayBuffer | Uint8Array };
    if (nameOf(algorithm) !== "AES-CBC" || !iv) refuse(`cipher ${nameOf(algorithm)}`);
    const decipher = createDecipheriv("aes-256-cbc", asRawKey(key, "AES-256-CBC").bytes, bytes(iv));
    return toArrayBuffer(Buffer.concat([decipher.update(bytes(data)), decipher.final()]));
  },
  encrypt: () => refuse("operation encrypt"),
};

/** Only what `unseal` calls; it never needs randomness (salts and IVs come from the seal). Exported for its tests. */
export const nodeCryptoForIron = {
  subtle,
  getRandomValues: () => refuse("operation getRandomValues"),
} as unknown as Parameters<typeof unseal>[0];

/**
 * What iron-session's `unsealData` returns for a seal it made, or a rejection for anything that is
 * not one (tampered, truncated, expired, unknown password, another format version).
 */
export async function openIronSeal(seal: string, passwords: Record<string, string>): Promise<unknown> {
  const [sealed, version, ...rest] = seal.split("~");
  if (version !== SEAL_FORMAT_VERSION || rest.length > 0 || !sealed) throw new Error("not an iron-session v2 seal");
  return unseal(nodeCryptoForIron, sealed, passwords, defaults);
}
