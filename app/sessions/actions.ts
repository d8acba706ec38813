"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/edge/errors";
import { checkSameOrigin } from "@/lib/edge/http/csrf";
import { isSecure } from "@/lib/edge/http/request-context";
import { requireSession } from "@/lib/server/auth/session/request-session";
import { revokeOne, revokeOthers } from "@/lib/server/auth/revoke";
import { applyCookies, signOutCookies } from "@/lib/server/auth/auth-cookies";
import { clientIp } from "@/lib/edge/http/request-context";
import { changePassword } from "@/lib/server/auth/change-password";
import { changePasswordSchema } from "@/lib/server/auth/validation";
import { fieldErrorsOf, formText, sentence, type FormState } from "@/lib/ui/forms/form-state";

async function authenticated() {
  const requestHeaders = await headers();
  if (!checkSameOrigin(requestHeaders).ok) redirect("/sessions?notice=csrf");
  try {
    return { auth: await requireSession(await cookies(), requestHeaders), requestHeaders };
  } catch (error) {
    if (error instanceof AppError && error.code === "no_session") redirect("/login?next=/sessions");
    throw error;
  }
}

export async function revokeSessionAction(form: FormData): Promise<void> {
  const { auth, requestHeaders } = await authenticated();
  let current = false;
  try {
    current = (await revokeOne(auth, formText(form, "sessionId") ?? "")).current;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") redirect("/sessions?notice=gone");
    throw error;
  }
  if (current) {
    applyCookies(await cookies(), signOutCookies(isSecure(requestHeaders)));
    redirect("/login?signedOut=1");
  }
  redirect("/sessions?notice=revoked");
}

export async function revokeOthersAction(): Promise<void> {
  const { auth } = await authenticated();
  const count = await revokeOthers(auth);
  redirect(`/sessions?notice=others&count=${count}`);
}

/**
 * The no-JavaScript password form on /sessions: the same service as POST /api/account/password, so
 * every other session and refresh family ends and this one stays. A wrong current password counts
 * against the account's sign-in throttle there.
 */
export async function changePasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  const { auth, requestHeaders } = await authenticated();
  const parsed = changePasswordSchema.safeParse({
    currentPassword: formText(form, "currentPassword") ?? "",
    newPassword: formText(form, "newPassword") ?? "",
  });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error.issues), values: {} };
  let endedSessions: number;
  try {
    ({ endedSessions } = await changePassword(auth, parsed.data, clientIp(requestHeaders)));
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_credentials")
      return { status: "error", fieldErrors: { currentPassword: sentence(error.description) }, values: {} };
    if (error instanceof AppError)
      return { status: "error", message: sentence(error.description), fieldErrors: {}, values: {} };
    throw error;
  }
  redirect(`/sessions?notice=password&count=${endedSessions}`);
}
