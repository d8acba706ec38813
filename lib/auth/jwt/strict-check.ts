/**
 * The opt-in strict check for sensitive handlers, run in Node after the Edge verification.
 *
 * A verified signature proves the server issued the token, not that nothing changed since. By
 * default a token keeps working until `exp` after logout or a role change — that is the stateless
 * design's price. This check pays it back with state: the token's `sid` names the refresh family it
 * was issued beside (a per-session denylist: logout, revocation, password change and "sign out
 * everywhere" revoke families), and its `role` must still be the user's role.
 */
import { AppError } from "@/lib/errors";
import { findUserById, type UserDto } from "@/lib/accounts/users";
import { familyStatusOfSession } from "@/lib/auth/refresh/service";
import { bearerChallenge } from "./challenge";
import { requireAccessClaims, requireRole, type VerifiedRequest } from "./request-claims";

export const STRICT_LAYER = "node-strict-check";

function rejected(description: string): AppError {
  return new AppError("invalid_token", description, bearerChallenge("invalid_token", description));
}

export async function assertNotRevoked(verified: VerifiedRequest): Promise<UserDto> {
  const user = await findUserById(Number(verified.claims.sub));
  if (!user) throw rejected("the account behind this token no longer exists");
  if (user.role !== verified.claims.role) throw rejected("the role in this token is out of date; refresh it");
  const family = await familyStatusOfSession(verified.claims.sid);
  if (!family.active) throw rejected(`this token's session was ended: ${family.reason}`);
  return user;
}

export interface StrictlyVerified {
  verified: VerifiedRequest;
  user: UserDto;
  /** How long the check took, for the trace's Server-Timing. */
  strictMs: number;
}

/** For a sensitive handler: the Edge-verified claims (holding the admin role when asked), then the strict check. */
export async function requireStrictAccess(headers: Pick<Headers, "get">, role?: "ADMIN"): Promise<StrictlyVerified> {
  const verified = requireAccessClaims(headers);
  if (role) requireRole(verified, role);
  const started = performance.now();
  const user = await assertNotRevoked(verified);
  return { verified, user, strictMs: performance.now() - started };
}
