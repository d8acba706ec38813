"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { checkSameOrigin } from "@/lib/http/csrf";
import { isSecure } from "@/lib/http/request-context";
import { signOut } from "@/lib/auth/sign-out";
import { applyCookies, signOutCookies } from "@/lib/auth/auth-cookies";
import { log } from "@/lib/log";

/** The header's "Sign out" form: works without JavaScript. */
export async function signOutAction(): Promise<void> {
  const requestHeaders = await headers();
  if (!checkSameOrigin(requestHeaders).ok) redirect("/");
  const jar = await cookies();
  const secure = isSecure(requestHeaders);
  let complete = true;
  try {
    await signOut(jar, secure);
  } catch (error) {
    // The browser forgets its cookies either way; say honestly that the server could not end the record.
    log.warn("logout.incomplete", { error });
    complete = false;
  }
  applyCookies(jar, signOutCookies(secure));
  redirect(complete ? "/login?signedOut=1" : "/login?signedOut=incomplete");
}
