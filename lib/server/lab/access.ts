/**
 * Who may use the lab endpoints (/api/lab/**): everyone in development, admins otherwise. They are
 * cookie-authenticated like the pages that call them, CSRF-checked, and act only on the caller's own
 * account and session — nothing here can mint a token for someone else, and the experiments that
 * change a role, hand a refresh token to page script or wipe everyone's sessions (the simulated
 * restart) refuse to run in production at all.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import type { CookieSource } from "@/lib/edge/cookies";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { requireSession, type AuthenticatedSession } from "@/lib/server/auth/session/request-session";

export function labOpenTo(role: string): boolean {
  return config().lab.enabledForEveryone || role === "ADMIN";
}

export async function requireLabUser(request: {
  cookies: CookieSource;
  headers: Headers;
  method: string;
}): Promise<AuthenticatedSession> {
  if (request.method !== "GET") assertSameOrigin(request.headers);
  const auth = await requireSession(request.cookies, request.headers);
  if (!labOpenTo(auth.user.role))
    throw new AppError("lab_disabled", "the lab is open to admins only outside development");
  return auth;
}

/** Experiments that raise a privilege, expose a credential to page script or act on other users: never in production. */
export function developmentExperimentsAllowed(): boolean {
  return config().env !== "production";
}

export function assertDevelopmentLab(what: string): void {
  if (!developmentExperimentsAllowed()) throw new AppError("lab_disabled", `${what}, so it runs only in development`);
}
