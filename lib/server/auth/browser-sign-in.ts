/**
 * Signing a browser in, in the one order that prevents session fixation (OWASP Session Management
 * Cheat Sheet: renew the session identifier after authentication), for the API routes and the no-JS
 * forms alike: the new session is established first (sign-in or sign-up), then the session this
 * browser's cookie names — someone else's, or a planted one — ends with its refresh family, and only
 * then are the new cookies written. The caller sends the cookies (a response, or the action's jar).
 */
import "server-only";
import type { CookieSource, CookieSpec } from "@/lib/edge/cookies";
import type { RequestContext } from "@/lib/edge/http/request-context";
import type { LoginInput, SignupInput } from "@/lib/server/auth/validation";
import { signIn, signUp, type SignedIn, type SignInOptions } from "@/lib/server/auth/sign-in";
import { endPreviousSession } from "@/lib/server/auth/sign-out";
import { signInCookies } from "@/lib/server/auth/auth-cookies";

export type BrowserSignIn = { via: "login"; input: LoginInput } | { via: "signup"; input: SignupInput };

export async function signInBrowser(
  attempt: BrowserSignIn,
  context: RequestContext,
  previousCookies: CookieSource,
  options: SignInOptions = {},
): Promise<{ signedIn: SignedIn; cookies: CookieSpec[] }> {
  const signedIn =
    attempt.via === "signup"
      ? await signUp(attempt.input, context, options)
      : await signIn(attempt.input, context, options);
  await endPreviousSession(previousCookies, context.secure);
  return { signedIn, cookies: await signInCookies(signedIn, context.secure) };
}
