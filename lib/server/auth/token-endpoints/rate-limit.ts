/**
 * Rate limits for the RFC 7009 / RFC 7662 endpoints, shared across instances when Redis is configured
 * (lib/server/rate-limit). Callers that authenticated are counted as themselves — a resource server
 * introspects from one address for all its users — and anonymous callers by address (an IPv6 client by
 * its /64). Failed client authentications are counted by address, so client secrets cannot be guessed
 * at speed. Over a limit: 429 `rate_limited` with Retry-After.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { addressBucket } from "@/lib/edge/http/ip-address";
import { rateLimiter } from "@/lib/server/rate-limit";
import type { LimitState, WindowPolicy } from "@/lib/server/rate-limit/limiter";

const MINUTE_SECONDS = 60;
/** A resource server should cache answers for a little while (RFC 7662 §4); this leaves it room. */
export const PER_CALLER: WindowPolicy = { limit: 1200, windowSeconds: MINUTE_SECONDS };
/** Revocation without client authentication: a browser revokes at sign-out, not in a loop. */
export const PER_ANONYMOUS_ADDRESS: WindowPolicy = { limit: 60, windowSeconds: MINUTE_SECONDS };
export const FAILED_AUTHENTICATIONS_PER_ADDRESS: WindowPolicy = { limit: 20, windowSeconds: 15 * MINUTE_SECONDS };

export type Endpoint = "revoke" | "introspect";

function limited(state: Extract<LimitState, { limited: true }>): AppError {
  return new AppError("rate_limited", `too many requests; try again in ${state.retryAfterSeconds} seconds`, {
    headers: { "retry-after": String(state.retryAfterSeconds) },
  });
}

/** Counts one request of `caller` ("client:<id>", "admin:<user id>", or an address for anonymous calls). */
export async function takeRequest(endpoint: Endpoint, caller: string, policy: WindowPolicy): Promise<void> {
  const state = await rateLimiter().take(`${endpoint}:${caller}`, policy);
  if (state.limited) throw limited(state);
}

export const anonymous = (ip: string | null) => `address:${addressBucket(ip)}`;

const failuresKey = (ip: string | null) => `token-endpoints:auth-failures:${addressBucket(ip)}`;

/** Refuses an address that failed client authentication too often, before its next attempt is checked. */
export async function assertAuthenticationAllowed(ip: string | null): Promise<void> {
  const state = await rateLimiter().peek(failuresKey(ip), FAILED_AUTHENTICATIONS_PER_ADDRESS);
  if (state.limited) throw limited(state);
}

export async function countFailedAuthentication(ip: string | null): Promise<void> {
  await rateLimiter().hit(failuresKey(ip), FAILED_AUTHENTICATIONS_PER_ADDRESS);
}
