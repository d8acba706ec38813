/**
 * Login and sign-up throttling (OWASP Authentication Cheat Sheet, "Protect against automated
 * attacks"): at most 10 failures per account in 15 minutes, whatever the client claims
 * its address is).
 *
 * The per-account counter is keyed by the normalised email whether or not the account exists, so a
 * 429 says nothing about which emails are registered. The per-address counter uses the address the
 * server saw (see request-context.ts), never a client-supplied X-Forwarded-For, so rotating that
 * header does not reset it.
 *
 * Besides failures, every sign-in counts against its address (LOGIN_MAX_PER_ADDRESS): a
 * correct password costs the same argon2id work as a wrong one, so an address signing in correctly in a
 * loop would otherwise be unthrottled.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { rateLimiter } from "@/lib/server/rate-limit";
import type { LimitState, WindowPolicy } from "@/lib/server/rate-limit/limiter";
import { sha256Hex } from "@/lib/server/auth/random";
import { config } from "@/lib/edge/config";
import { addressBucket } from "@/lib/edge/http/ip-address";
import { signInThrottled, type ThrottleLimit } from "@/lib/server/audit/throttle-events";

const WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_FAILURES: WindowPolicy = { limit: 10, windowSeconds: WINDOW_SECONDS };
const addressFailures = (): WindowPolicy => ({
  limit: config().limits.loginMaxFailuresPerAddress,
  windowSeconds: WINDOW_SECONDS,
});
const addressSignIns = (): WindowPolicy => ({
  limit: config().limits.loginMaxPerAddress,
  windowSeconds: WINDOW_SECONDS,
});
const addressSignups = (): WindowPolicy => ({
  limit: config().limits.signupMaxPerAddress,
  windowSeconds: WINDOW_SECONDS,
});

/** Keys hold a digest, so the limiter's storage never lists the emails people tried. */
const accountKey = (email: string) => `login:account:${sha256Hex(email)}`;
/** An IPv6 client counts by its /64, which one subscriber usually holds whole (ip-address.ts). */
const addressKey = (ip: string | null) => `login:address:${addressBucket(ip)}`;
const addressAllKey = (ip: string | null) => `login:address-all:${addressBucket(ip)}`;
const signupKey = (ip: string | null) => `signup:address:${addressBucket(ip)}`;

function limited(state: Extract<LimitState, { limited: true }>, what: string): AppError {
  return new AppError("rate_limited", `too many ${what}; try again in ${state.retryAfterSeconds} seconds`, {
    headers: { "retry-after": String(state.retryAfterSeconds) },
  });
}

/**
 * True for the first refusal of `key` in a window: what the audit trail records (throttle-events.ts).
 * Decided by the limiter itself, so it holds across instances when the counters are in Redis; a limiter
 * that cannot answer records the refusal rather than lose it.
 */
async function firstRefusalInWindow(key: string, policy: WindowPolicy): Promise<boolean> {
  try {
    const seen = await rateLimiter().take(`throttled:${key}`, { limit: 1, windowSeconds: policy.windowSeconds });
    return !seen.limited;
  } catch {
    return true;
  }
}

async function refuse(
  limit: ThrottleLimit,
  key: string,
  policy: WindowPolicy,
  state: Extract<LimitState, { limited: true }>,
  email?: string,
): Promise<void> {
  const firstInWindow = await firstRefusalInWindow(key, policy);
  signInThrottled(limit, { firstInWindow, count: state.count, email });
}

/** A sign-in attempt already counted against its account and address; see reserveLoginAttempt. */
export interface LoginAttempt {
  /** The password was right: clear the account's count and give the address its attempt back. */
  succeeded(): Promise<void>;
  /**
   * The password was never checked (hashing shed the attempt, the database failed): not a failure, so
   * every counter gets the attempt back. Otherwise a client retrying through an overload would lock
   * itself out without ever typing a wrong password.
   */
  abandoned(): Promise<void>;
}

/**
 * Counts this sign-in attempt against the address (all sign-ins, and failures) and the account before
 * the password is checked, atomically (RateLimiter.take), so a burst of parallel guesses cannot all pass
 * the check while each waits for argon2. Refused when any is at its limit; a refused attempt is not
 * counted. A wrong password needs nothing more: it was counted here.
 */
export async function reserveLoginAttempt(email: string, ip: string | null): Promise<LoginAttempt> {
  const limiter = rateLimiter();
  const all = await limiter.take(addressAllKey(ip), addressSignIns());
  if (all.limited) {
    await refuse("address-all", addressAllKey(ip), addressSignIns(), all);
    throw limited(all, "sign-ins from this address");
  }
  const address = await limiter.take(addressKey(ip), addressFailures());
  if (address.limited) {
    await refuse("address", addressKey(ip), addressFailures(), address);
    await limiter.release(addressAllKey(ip), all.reservation);
    throw limited(address, "failed sign-ins from this address");
  }
  const account = await limiter.take(accountKey(email), ACCOUNT_FAILURES);
  if (account.limited) {
    await refuse("account", accountKey(email), ACCOUNT_FAILURES, account, email);
    await limiter.release(addressAllKey(ip), all.reservation);
    await limiter.release(addressKey(ip), address.reservation);
    throw limited(account, "failed sign-ins for this account");
  }
  return {
    // The all-sign-ins count keeps this attempt: success is what it counts too.
    async succeeded() {
      await Promise.all([limiter.reset(accountKey(email)), limiter.release(addressKey(ip), address.reservation)]);
    },
    async abandoned() {
      await Promise.all([
        limiter.release(addressAllKey(ip), all.reservation),
        limiter.release(addressKey(ip), address.reservation),
        limiter.release(accountKey(email), account.reservation),
      ]);
    },
  };
}

/** Counts a sign-up against its address; the returned function gives it back (a sign-up rolled back). */
export async function reserveSignup(ip: string | null): Promise<() => Promise<void>> {
  const limiter = rateLimiter();
  const state = await limiter.take(signupKey(ip), addressSignups());
  if (state.limited) throw limited(state, "sign-ups from this address");
  return () => limiter.release(signupKey(ip), state.reservation);
}
