/**
 * Login and sign-up throttling (OWASP Authentication Cheat Sheet, "Protect against automated
 * attacks"; DESIGN.md §5: at most 10 failures per account in 15 minutes, whatever the client claims
 * its address is).
 *
 * The per-account counter is keyed by the normalised email whether or not the account exists, so a
 * 429 says nothing about which emails are registered. The per-address counter uses the address the
 * server saw (see request-context.ts), never a client-supplied X-Forwarded-For, so rotating that
 * header does not reset it.
 */
import { AppError } from "@/lib/errors";
import { rateLimiter } from "@/lib/rate-limit";
import type { LimitState, WindowPolicy } from "@/lib/rate-limit/limiter";
import { sha256Hex } from "@/lib/auth/random";
import { config } from "@/lib/config";

const WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_FAILURES: WindowPolicy = { limit: 10, windowSeconds: WINDOW_SECONDS };
const addressFailures = (): WindowPolicy => ({ limit: config().loginMaxFailuresPerAddress, windowSeconds: WINDOW_SECONDS });
const addressSignups = (): WindowPolicy => ({ limit: config().signupMaxPerAddress, windowSeconds: WINDOW_SECONDS });

/** Keys hold a digest, so the limiter's storage never lists the emails people tried. */
const accountKey = (email: string) => `login:account:${sha256Hex(email)}`;
const addressKey = (ip: string | null) => `login:address:${ip ?? "unknown"}`;
const signupKey = (ip: string | null) => `signup:address:${ip ?? "unknown"}`;

function limited(state: Extract<LimitState, { limited: true }>, what: string): AppError {
  return new AppError("rate_limited", `too many ${what}; try again in ${state.retryAfterSeconds} seconds`, {
    "retry-after": String(state.retryAfterSeconds),
  });
}

export async function assertLoginAllowed(email: string, ip: string | null): Promise<void> {
  const limiter = rateLimiter();
  const [account, address] = await Promise.all([
    limiter.peek(accountKey(email), ACCOUNT_FAILURES),
    limiter.peek(addressKey(ip), addressFailures()),
  ]);
  if (account.limited) throw limited(account, "failed sign-ins for this account");
  if (address.limited) throw limited(address, "failed sign-ins from this address");
}

export async function recordLoginFailure(email: string, ip: string | null): Promise<void> {
  const limiter = rateLimiter();
  await Promise.all([limiter.hit(accountKey(email), ACCOUNT_FAILURES), limiter.hit(addressKey(ip), addressFailures())]);
}

export async function recordLoginSuccess(email: string): Promise<void> {
  await rateLimiter().reset(accountKey(email));
}

export async function assertSignupAllowed(ip: string | null): Promise<void> {
  const state = await rateLimiter().peek(signupKey(ip), addressSignups());
  if (state.limited) throw limited(state, "sign-ups from this address");
}

export async function recordSignup(ip: string | null): Promise<void> {
  await rateLimiter().hit(signupKey(ip), addressSignups());
}
