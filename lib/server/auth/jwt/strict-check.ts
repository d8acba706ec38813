/**
 * The opt-in strict check for sensitive handlers, run in Node after the token's signature verifies.
 *
 * A verified signature proves the server issued the token, not that nothing changed since. By
 * default a token keeps working until `exp` after logout or a role change — that is the stateless
 * design's price. This check pays it back with state: the token's `sid` names the refresh family it
 * was issued beside (a per-session denylist: logout, revocation, password change and "sign out
 * everywhere" revoke families), and its `role` must still be the user's role.
 */
import "server-only";
import { findUserById, type UserDto } from "@/lib/server/accounts/users";
import { familyStatusOfSession } from "@/lib/server/auth/refresh/service";
import { invalidToken } from "@/lib/edge/jwt/rejections";
import { checked, LAYERS, NO_RECORDER, timed, type Recorder } from "@/lib/edge/trace";
import type { Role } from "@/lib/edge/identity";
import { requireAccessToken, type VerifiedRequest } from "./request-token";

export async function assertNotRevoked(verified: VerifiedRequest): Promise<UserDto> {
  const user = await findUserById(Number(verified.claims.sub));
  if (!user) throw invalidToken("revoked", "the account behind this token no longer exists");
  if (user.role !== verified.claims.role)
    throw invalidToken("revoked", "the role in this token is out of date; refresh it");
  const family = await familyStatusOfSession(verified.claims.sid);
  if (!family.active) throw invalidToken("revoked", `this token's session was ended: ${family.reason}`);
  return user;
}

export interface StrictlyVerified {
  verified: VerifiedRequest;
  user: UserDto;
}

/** For a sensitive handler: a verified token (holding `role` when asked), then the strict check. */
export async function requireStrictAccess(
  request: Pick<Request, "headers">,
  options: { role?: Role; recorder?: Recorder } = {},
): Promise<StrictlyVerified> {
  const recorder = options.recorder ?? NO_RECORDER;
  const verified = await requireAccessToken(request, options);
  recorder.checkedBy(LAYERS.strict);
  const user = await checked("strict", () => timed(recorder, "strict", () => assertNotRevoked(verified)));
  return { verified, user };
}
