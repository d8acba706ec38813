/**
 * Who may use the lab endpoints (/api/lab/**): everyone in development, admins otherwise. They are
 * cookie-authenticated like the pages that call them, CSRF-checked, and act only on the caller's own
 * account and session — nothing here can mint a token for someone else or raise a privilege outside
 * development.
 */
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { assertSameOrigin } from "@/lib/http/csrf";
import { requireSession, type AuthenticatedSession } from "@/lib/auth/session/request-session";

type CookieSource = { get(name: string): { value: string } | undefined };

export function labOpenTo(role: string): boolean {
  return config().labEnabledForEveryone || role === "ADMIN";
}

export async function requireLabUser(request: { cookies: CookieSource; headers: Headers; method: string }): Promise<AuthenticatedSession> {
  if (request.method !== "GET") assertSameOrigin(request.headers);
  const auth = await requireSession(request.cookies, request.headers);
  if (!labOpenTo(auth.user.role)) throw new AppError("lab_disabled", "the lab is open to admins only outside development");
  return auth;
}

/** Experiments that change the caller's own role exist only where everyone may use the lab. */
export function assertDevelopmentLab(): void {
  if (!config().labEnabledForEveryone) {
    throw new AppError("lab_disabled", "this experiment changes your own role, so it runs only in development");
  }
}
