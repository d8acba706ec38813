/**
 * Password hashing with argon2id.
 *
 * Parameters: OWASP Password Storage Cheat Sheet's minimum for argon2id is m=19 MiB, t=2, p=1.
 * @node-rs/argon2 runs the hash on libuv's thread pool, so the event loop keeps serving requests.
 */
import "server-only";
import { hash, parseOptions, verify, type Algorithm } from "@node-rs/argon2";

/** `Algorithm.Argon2id`; the package exports it as a `const enum`, which isolatedModules cannot inline. */
const ARGON2ID = 2 as Algorithm;

export const ARGON2_MEMORY_KIB = 19 * 1024;
export const ARGON2_TIME_COST = 2;
export const ARGON2_PARALLELISM = 1;

const OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: ARGON2_MEMORY_KIB,
  timeCost: ARGON2_TIME_COST,
  parallelism: ARGON2_PARALLELISM,
} as const;

/**
 * NIST SP 800-63B §5.1.1.2: Unicode passwords should be normalised (NFKC) before hashing so the
 * same typed password always produces the same bytes, whatever the keyboard or OS composed.
 */
function normalise(password: string): string {
  return password.normalize("NFKC");
}

export function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), OPTIONS);
}

/** Returns false for a wrong password and for a hash it cannot parse; never throws on user input. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    // A malformed stored hash must read as "does not match", not crash the login route.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification when the account does not exist, so response timing
 * does not reveal which emails are registered (OWASP Authentication Cheat Sheet, "Authentication
 * and Error Messages").
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("authlab-dummy-password-for-timing");
  await verifyPassword(await dummyHash, password);
  return false;
}

/** True when a stored hash was made with weaker parameters than today's, so it should be redone at the next sign-in. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const options = parseOptions(passwordHash);
    return (
      options.algorithm !== ARGON2ID ||
      options.memoryCost < ARGON2_MEMORY_KIB ||
      options.timeCost < ARGON2_TIME_COST ||
      options.parallelism < ARGON2_PARALLELISM
    );
  } catch {
    return true;
  }
}
