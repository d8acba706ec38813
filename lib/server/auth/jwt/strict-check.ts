/**
 * The opt-in strict check for sensitive handlers, run in Node after the token's signature verifies.
 *
 * A verified signature proves the server issued the token, not that nothing changed since. By
 * default a token keeps working until `exp` after logout or a role change — that is the stateless
 * design's price. This check pays it back with state: the token's `sid` must name a session that is
 * still live in the session store (however it ended: logout, revocation, idle or absolute timeout, the
 * sweep, a memory store's restart), the refresh family issued beside it must be live
 * (a per-session denylist: logout, revocation, reuse, password change and "sign out everywhere" revoke
 * families), its `role` must still be the user's role, and its `jti` must not have been revoked on its
 * own (RFC 7009, denylist.ts). An unreachable store is a 503, never a pass.
 */
import "server-only";
import { findUserById, type UserDto } from "@/lib/server/accounts/users";
import { familyStatusOfSession } from "@/lib/server/auth/refresh/family-store";
import { findLiveSession } from "@/lib/server/auth/session/session-lifecycle";
import { invalidToken } from "@/lib/edge/jwt/rejections";
import type { TokenRequest } from "@/lib/edge/jwt/authenticate";
import { isAccessTokenDenied } from "./denylist";
import { checked, LAYERS, NO_RECORDER, timed, type Recorder } from "@/lib/edge/trace";
import type { Role } from "@/lib/edge/identity";
import { requireAccessToken, type VerifiedRequest } from "./request-token";

export async function assertNotRevoked(
  verified: Pick<VerifiedRequest, "claims" | "scheme">,
  recorder: Recorder = NO_RECORDER,
): Promise<UserDto> {
  const revoked = (description: string) => invalidToken("revoked", description, verified.scheme);
  if (await isAccessTokenDenied(verified.claims.jti)) throw revoked("this token was revoked (RFC 7009)");
  const user = await findUserById(Number(verified.claims.sub));
  if (!user) throw revoked("the account behind this token no longer exists");
  if (user.role !== verified.claims.role) throw revoked("the role in this token is out of date; refresh it");
  const family = await familyStatusOfSession(verified.claims.sid);
  if (!family.active) throw revoked(`this token's session was ended: ${family.reason}`);
  const session = await findLiveSession(user.id, verified.claims.sid, { recorder });
  if (!session) throw revoked("this token's session has ended");
  return user;
}

export interface StrictlyVerified {
  verified: VerifiedRequest;
  user: UserDto;
}

/** For a sensitive handler: a verified token (holding `role` when asked), then the strict check. */
export async function requireStrictAccess(
  request: TokenRequest,
  options: { role?: Role; recorder?: Recorder } = {},
): Promise<StrictlyVerified> {
  const recorder = options.recorder ?? NO_RECORDER;
  const verified = await requireAccessToken(request, options);
  recorder.checkedBy(LAYERS.strict);
  const user = await checked("strict", () => timed(recorder, "strict", () => assertNotRevoked(verified, recorder)));
  return { verified, user };
}
