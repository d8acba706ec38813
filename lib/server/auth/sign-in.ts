/**
 * Sign-up and sign-in, shared by the JSON API and the no-JavaScript forms. Both end the same way: a
 * fresh session (new random token: no fixation), a new refresh-token family, and an access token.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import {
  createUser,
  deleteUser,
  EmailTakenError,
  findCredentialsByEmail,
  updatePasswordHash,
  type UserDto,
} from "@/lib/server/accounts/users";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@/lib/server/auth/password";
import type { LoginInput, SignupInput } from "@/lib/server/auth/validation";
import { createSession, deleteSessionByHash, refuseWhileStoreDown } from "@/lib/server/auth/session/session-lifecycle";
import type { SessionRecord } from "@/lib/server/auth/session/store";
import { startFamily, type StartedFamily } from "@/lib/server/auth/refresh/family-store";
import { endSessionsBeyondBound } from "@/lib/server/auth/session-bound";
import { issueAccessToken, type IssuedAccessToken } from "@/lib/server/auth/jwt/sign";
import { reserveLoginAttempt, reserveSignup } from "@/lib/server/auth/throttle";
import { isDemoEmail } from "@/lib/server/accounts/demo-accounts";
import { servesAccount } from "@/lib/server/accounts/development-data";
import { log } from "@/lib/server/log";
import { securityEvent } from "@/lib/server/audit/record";

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

/** The body both endpoints answer with (docs/api.md; `tokenType` "DPoP" for a bound token, RFC 9449 §5). */
export function signedInBody(signedIn: SignedIn) {
  return {
    user: signedIn.user,
    accessToken: signedIn.access.token,
    tokenType: signedIn.access.tokenType,
    expiresIn: signedIn.access.expiresIn,
  };
}

export interface SignInOptions {
  /** The thumbprint of the DPoP key the request proved (RFC 9449 §5): token and refresh family are bound to it. */
  dpopJkt?: string;
}

/** What `establish` has written so far, for a caller that must undo it when a later step fails. */
interface Progress {
  sessionTokenHash?: string;
}

async function establish(
  user: UserDto,
  client: ClientInfo,
  options: SignInOptions,
  how: "signup" | "login",
  progress: Progress = {},
): Promise<SignedIn> {
  const session = await createSession(user.id, client);
  progress.sessionTokenHash = session.record.tokenHash;
  const refresh = await startFamily(user.id, session.record.id, { dpopJkt: options.dpopJkt });
  await endSessionsBeyondBound(user.id, session.record.id);
  const access = await issueAccessToken({
    userId: user.id,
    role: user.role,
    sessionId: session.record.id,
    dpopJkt: options.dpopJkt,
  });
  // Recorded once everything is written: a sign-up rolled back after a later failure signed no one in.
  // A sign-up says so: "Account created and signed in", not a sign-in the user never made.
  const detail = how === "signup" ? { via: "signup" } : undefined;
  securityEvent("sign_in_succeeded", { userId: user.id, sessionId: session.record.id, ...client, detail });
  return { user, session, refresh, access };
}

function defaultName(email: string): string {
  return email.split("@")[0]!.slice(0, 100) || "user";
}

/**
 * A sign-up completes or leaves nothing behind (docs/api.md, POST /api/auth/signup). The account is a database row, its session
 * lives in the session store (maybe Redis), and no transaction spans both; so when anything after the
 * insert fails, the account is deleted again (its refresh family and database sessions go with it by
 * cascade), a session already written to the store is deleted, and the sign-up is not counted. The
 * user's retry then creates the account instead of meeting 409 `email_taken`.
 *
 * What this cannot undo: the database failing between the insert and the undo (then the account stays,
 * with the password the user chose, and signing in works), or the process dying in that moment — a
 * client that saw no answer must treat 409 as "perhaps it was me" and sign in.
 */
export async function signUp(input: SignupInput, client: ClientInfo, options: SignInOptions = {}): Promise<SignedIn> {
  // Reserved: an account planted under a demo address would read as development data in production.
  if (isDemoEmail(input.email))
    throw new AppError("invalid_request", "this address is reserved for the development demo accounts", {
      field: "email",
    });
  refuseWhileStoreDown();
  const releaseSignup = await reserveSignup(client.ip);
  let user: UserDto;
  try {
    const passwordHash = await hashPassword(input.password);
    user = await createUser({ email: input.email, name: input.name ?? defaultName(input.email), passwordHash });
  } catch (error) {
    if (error instanceof EmailTakenError)
      throw new AppError("email_taken", "an account with this email already exists");
    await releaseSignup().catch(() => undefined);
    throw error;
  }
  const progress: Progress = {};
  try {
    const signedIn = await establish(user, client, options, "signup", progress);
    log.info("account.created", { userId: user.id });
    return signedIn;
  } catch (error) {
    await undoSignUp(user.id, progress.sessionTokenHash);
    await releaseSignup().catch(() => undefined);
    throw error;
  }
}

async function undoSignUp(userId: number, sessionTokenHash: string | undefined): Promise<void> {
  if (sessionTokenHash) {
    await deleteSessionByHash(sessionTokenHash).catch((error: unknown) =>
      log.warn("signup.undo_session_failed", { userId, error }),
    );
  }
  try {
    await deleteUser(userId);
    log.info("signup.rolled_back", { userId });
  } catch (error) {
    log.error("signup.rollback_failed", { userId, error });
  }
}

const INVALID_CREDENTIALS = "the email or password is not correct";

async function checkPassword(input: LoginInput) {
  // A demo account that reached a production database (development-data.ts) answers as unknown.
  const account = servesAccount(input.email) ? await findCredentialsByEmail(input.email) : null;
  // The same work whether or not the account exists, so timing does not reveal registered emails.
  const ok = account
    ? await verifyPassword(account.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  return { account, ok };
}

export async function signIn(input: LoginInput, client: ClientInfo, options: SignInOptions = {}): Promise<SignedIn> {
  refuseWhileStoreDown();
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
    securityEvent("sign_in_failed", { userId: account?.id ?? null, ...client });
    throw new AppError("invalid_credentials", INVALID_CREDENTIALS);
  }
  await attempt.succeeded();
  if (needsRehash(account.passwordHash)) await updatePasswordHash(account.id, await hashPassword(input.password));
  const { passwordHash: _hash, ...user } = account;
  log.info("login.succeeded", { userId: user.id, dpop: options.dpopJkt !== undefined });
  return establish(user, client, options, "login");
}
