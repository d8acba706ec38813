"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { checkSameOrigin } from "@/lib/http/csrf";
import { requestContext } from "@/lib/http/request-context";
import { safeNextPath } from "@/lib/http/safe-redirect";
import { loginSchema } from "@/lib/auth/validation";
import { signIn } from "@/lib/auth/sign-in";
import { endPreviousSession } from "@/lib/auth/sign-out";
import { applyCookies, signInCookies } from "@/lib/auth/auth-cookies";
import { fieldErrorsOf, formText, sentence, type FormState } from "@/lib/forms/form-state";

/** The no-JavaScript sign-in form: the same service as POST /api/auth/login. */
export async function loginAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email") ?? "";
  const values = { email };
  const requestHeaders = await headers();
  const origin = checkSameOrigin(requestHeaders);
  if (!origin.ok) return { status: "error", message: "This form was submitted from another site and was refused.", fieldErrors: {}, values };

  const parsed = loginSchema.safeParse({ email, password: formText(form, "password") ?? "" });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error.issues), values };

  const context = requestContext(requestHeaders);
  try {
    const signedIn = await signIn(parsed.data, context);
    const jar = await cookies();
    await endPreviousSession(jar, context.secure);
    applyCookies(jar, await signInCookies(signedIn, context.secure));
  } catch (error) {
    if (error instanceof AppError) return { status: "error", message: sentence(error.description), fieldErrors: {}, values };
    throw error;
  }
  redirect(safeNextPath(formText(form, "next")));
}

