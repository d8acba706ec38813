/**
 * Sign-up and sign-in, shared by the JSON API and the no-JavaScript forms. Both end the same way: a
 * fresh session (new random token: no fixation), a new refresh-token family, and an access token.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import {
  createUser,
  EmailTakenError,
  findCredentialsByEmail,
  updatePasswordHash,
  type UserDto,
} from "@/lib/server/accounts/users";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@/lib/server/auth/password";
import type { LoginInput, SignupInput } from "@/lib/server/auth/validation";
import { createSession } from "@/lib/server/auth/session/service";
import type { SessionRecord } from "@/lib/server/auth/session/store";
import { startFamily, type StartedFamily } from "@/lib/server/auth/refresh/service";
import { issueAccessToken, type IssuedAccessToken } from "@/lib/server/auth/jwt/sign";
import { reserveLoginAttempt, reserveSignup } from "@/lib/server/auth/throttle";
import { log } from "@/lib/server/log";

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  user: UserDto;
  session: { token: string; record: SessionRecord };
  refresh: StartedFamily;
  access: IssuedAccessToken;
}

/** The body both endpoints answer with (DESIGN.md §5). */
export function signedInBody(signedIn: SignedIn) {
  return {
    user: signedIn.user,
    accessToken: signedIn.access.token,
    tokenType: "Bearer" as const,
    expiresIn: signedIn.access.expiresIn,
  };
}

async function establish(user: UserDto, client: ClientInfo): Promise<SignedIn> {
  const session = await createSession(user.id, client);
  const refresh = await startFamily(user.id, session.record.id);
  const access = await issueAccessToken({ userId: user.id, role: user.role, sessionId: session.record.id });
  return { user, session, refresh, access };
}

function defaultName(email: string): string {
  return email.split("@")[0]!.slice(0, 100) || "user";
}

export async function signUp(input: SignupInput, client: ClientInfo): Promise<SignedIn> {
  await reserveSignup(client.ip);
  const passwordHash = await hashPassword(input.password);
  let user: UserDto;
  try {
    user = await createUser({ email: input.email, name: input.name ?? defaultName(input.email), passwordHash });
  } catch (error) {
    if (error instanceof EmailTakenError)
      throw new AppError("email_taken", "an account with this email already exists");
    throw error;
  }
  log.info("account.created", { userId: user.id });
  return establish(user, client);
}

const INVALID_CREDENTIALS = "the email or password is not correct";

async function checkPassword(input: LoginInput) {
  const account = await findCredentialsByEmail(input.email);
  // The same work whether or not the account exists, so timing does not reveal registered emails.
  const ok = account
    ? await verifyPassword(account.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  return { account, ok };
}

export async function signIn(input: LoginInput, client: ClientInfo): Promise<SignedIn> {
  const attempt = await reserveLoginAttempt(input.email, client.ip);
  let checked: Awaited<ReturnType<typeof checkPassword>>;
  try {
    checked = await checkPassword(input);
  } catch (error) {
    // Shed by the hashing queue or cut off by the database: no password was judged.
    await attempt.abandoned().catch((cause: unknown) => log.warn("login.release_failed", { error: cause }));
    throw error;
  }
  const { account, ok } = checked;
  if (!account || !ok) {
    log.info("login.failed", { ip: client.ip });
    throw new AppError("invalid_credentials", INVALID_CREDENTIALS);
  }
  await attempt.succeeded();
  if (needsRehash(account.passwordHash)) await updatePasswordHash(account.id, await hashPassword(input.password));
  const { passwordHash: _hash, ...user } = account;
  log.info("login.succeeded", { userId: user.id });
  return establish(user, client);
}
