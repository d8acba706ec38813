/**
 * The Data Access Layer for pages and server actions (after iron-session's App Router example):
 * the only way a server component learns who is signed in. It reads the cookie, checks the session
 * against the store, and returns a small DTO — never a database row.
 */
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/edge/errors";
import { optionalSession } from "@/lib/server/auth/session/request-session";
import { sessionDto, type SessionDto } from "@/lib/server/auth/session/dto";
import type { UserDto } from "@/lib/edge/identity";

export type { SessionDto } from "@/lib/server/auth/session/dto";

export type SessionCheck =
  | { status: "signed-in"; user: UserDto; session: SessionDto }
  | { status: "signed-out" }
  | { status: "unavailable"; message: string };

/** Once per render, however many components ask (React `cache`). */
export const verifySession = cache(async (): Promise<SessionCheck> => {
  try {
    const auth = await optionalSession(await cookies(), await headers());
    if (!auth) return { status: "signed-out" };
    return { status: "signed-in", user: auth.user, session: sessionDto(auth.session) };
  } catch (error) {
    if (error instanceof AppError && error.code === "session_store_unavailable") {
      return { status: "unavailable", message: error.description };
    }
    throw error;
  }
});

/** Signed in, or redirected to /login?next=<this page>. A store outage is returned for the page to show. */
export async function requireUser(nextPath: string): Promise<Exclude<SessionCheck, { status: "signed-out" }>> {
  const check = await verifySession();
  if (check.status === "signed-out") redirect(`/login?next=${encodeURIComponent(nextPath)}`);
  return check;
}
