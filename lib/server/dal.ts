/**
 * The Data Access Layer for pages and server actions (after iron-session's App Router example):
 * the only way a server component learns who is signed in. It reads the cookie, checks the session
 * against the store, and returns a small DTO — never a database row.
 *
 * Rendering a page changes nothing, so `verifySession` may answer from a fresh cookie-cache snapshot
 * (SECURITY.md, "Cookie cache"); a page cannot set cookies, so it never re-seals one (GET /api/session and sign-in
 * do). The admin pages use `verifySessionFromStore`: a role is judged by the store, not by a snapshot.
 */
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/edge/errors";
import { LOGIN_REASON_FOR, lookUpSession, type NoSessionReason } from "@/lib/server/auth/session/request-session";
import type { SessionSource } from "@/lib/server/auth/session/snapshot-trust";
import { loginPath } from "@/lib/edge/login-reason";
import { sessionDto, type SessionDto } from "@/lib/server/auth/session/public-session";
import type { UserDto } from "@/lib/edge/identity";

export type { SessionDto } from "@/lib/server/auth/session/public-session";

export type SessionCheck =
  | { status: "signed-in"; user: UserDto; session: SessionDto; source: SessionSource }
  | { status: "signed-out"; reason: NoSessionReason }
  | { status: "unavailable"; message: string };

async function check(trustSnapshot: boolean): Promise<SessionCheck> {
  try {
    const lookup = await lookUpSession(await cookies(), await headers(), undefined, { trustSnapshot, reseal: false });
    if (!lookup.ok) return { status: "signed-out", reason: lookup.reason };
    const { user, session, source } = lookup.auth;
    return { status: "signed-in", user, session: sessionDto(session), source };
  } catch (error) {
    if (error instanceof AppError && error.code === "session_store_unavailable") {
      return { status: "unavailable", message: error.description };
    }
    throw error;
  }
}

/** Once per render, however many components ask (React `cache`). */
export const verifySession = cache(() => check(true));

/** Always the store: for pages that judge a role (the admin pages). */
export const verifySessionFromStore = cache(() => check(false));

/**
 * Signed in, or redirected to /login?next=<this page>&reason=<why> (lib/edge/login-reason.ts).
 * A store outage is returned for the page to show.
 */
export async function requireUser(
  nextPath: string,
  options: { fromStore?: boolean } = {},
): Promise<Exclude<SessionCheck, { status: "signed-out" }>> {
  const check = await (options.fromStore ? verifySessionFromStore() : verifySession());
  if (check.status === "signed-out") redirect(loginPath(nextPath, LOGIN_REASON_FOR[check.reason]));
  return check;
}
