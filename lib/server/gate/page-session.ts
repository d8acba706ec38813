/**
 * The Node gate's page pre-check (gates/proxy.ts): the request's session, read from the store as the
 * page itself would read it. The Edge gate cannot do this (no store at the Edge) and lets any cookie
 * through for the page to judge; on Node an ended, expired or unreadable session is sent to /login
 * with its reason before anything renders.
 *
 * It reads and never writes (no re-seal, no touch beyond what a page's own check does), and it is not
 * the security boundary: the page checks the session again through the Data Access Layer.
 */
import "server-only";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/edge/errors";
import type { LoginReason } from "@/lib/edge/login-reason";
import { LOGIN_REASON_FOR, lookUpSession } from "@/lib/server/auth/session/request-session";

export async function pageSessionRefusal(request: NextRequest): Promise<LoginReason | null> {
  try {
    const lookup = await lookUpSession(request.cookies, request.headers, undefined, {
      trustSnapshot: true,
      reseal: false,
    });
    return lookup.ok ? null : LOGIN_REASON_FOR[lookup.reason];
  } catch (error) {
    // The store is down: the page answers with the outage; the gate does not guess.
    if (error instanceof AppError && error.code === "session_store_unavailable") return null;
    throw error;
  }
}
