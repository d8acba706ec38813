/**
 * Password hashing with argon2id.
 *
 * Parameters: OWASP Password Storage Cheat Sheet's minimum for argon2id is m=19 MiB, t=2, p=1.
 * @node-rs/argon2 runs the hash on libuv's thread pool, so the event loop keeps serving requests.
 *
 * Every hash and verification goes through one bounded queue per process (SECURITY.md, "Passwords and accounts"): at most
 * PASSWORD_HASH_CONCURRENCY at once (default: one fewer than the CPUs, at least one — a hash keeps a core
 * busy for its whole run, and with every core hashing the event loop itself waits for a core, so every
 * other request of the instance slows down with the sign-ins; bench/README.md, "Login storm"), at most
 * PASSWORD_HASH_QUEUE_MAX waiting, and beyond that a prompt 503 `overloaded` with Retry-After instead
 * of every sign-in on the instance slowing down together.
 */
import "server-only";
import { availableParallelism } from "node:os";
import { hash, parseOptions, verify, type Algorithm } from "@node-rs/argon2";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { processSingleton } from "@/lib/edge/singleton";
import { isQueueFull, WorkQueue } from "@/lib/server/load/work-queue";
import { log } from "@/lib/server/log";

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

/** A hash takes tens of milliseconds; a full queue drains within about a second. */
const OVERLOADED_RETRY_AFTER_SECONDS = 1;

/** One core left for the event loop (and libuv's other work): the rest may hash. */
export function defaultHashConcurrency(cpus = availableParallelism()): number {
  return Math.max(1, cpus - 1);
}

function hashingQueue(): WorkQueue {
  return processSingleton("passwordHashing", () => {
    const settings = config();
    return new WorkQueue(
      settings.limits.passwordHashConcurrency ?? defaultHashConcurrency(),
      settings.limits.passwordHashQueueMax,
    );
  });
}

async function queued<T>(job: () => Promise<T>): Promise<T> {
  try {
    return await hashingQueue().run(job);
  } catch (error) {
    if (!isQueueFull(error)) throw error;
    log.warn("password.hashing_overloaded", { waiting: error.waiting });
    throw new AppError("overloaded", "too many sign-ins are being checked right now; try again in a moment", {
      headers: { "retry-after": String(OVERLOADED_RETRY_AFTER_SECONDS) },
    });
  }
}

/**
 * NIST SP 800-63B §5.1.1.2: Unicode passwords should be normalised (NFKC) before hashing so the
 * same typed password always produces the same bytes, whatever the keyboard or OS composed.
 */
function normalise(password: string): string {
  return password.normalize("NFKC");
}

export function hashPassword(password: string): Promise<string> {
  return queued(() => hash(normalise(password), OPTIONS));
}

/**
 * Returns false for a wrong password and for a hash it cannot parse; never throws on user input.
 * Throws AppError `overloaded` when the hashing queue is full.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return queued(async () => {
    try {
      return await verify(passwordHash, normalise(password));
    } catch {
      // A malformed stored hash must read as "does not match", not crash the login route.
      return false;
    }
  });
}

/**
 * Spends the same time as a real verification when the account does not exist, so response timing
 * does not reveal which emails are registered (OWASP Authentication Cheat Sheet, "Authentication
 * and Error Messages").
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  // Made once per process (every bundle shares it; the warm-up makes it before the first request),
  // outside the queue: a refused first attempt must not cache a rejection.
  const dummyHash = processSingleton("dummyPasswordHash", () =>
    hash(normalise("authlab-dummy-password-for-timing"), OPTIONS),
  );
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
