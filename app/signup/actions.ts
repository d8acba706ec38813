"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/edge/errors";
import { checkSameOrigin } from "@/lib/edge/http/csrf";
import { requestContext } from "@/lib/edge/http/request-context";
import { safeNextPath } from "@/lib/server/http/safe-redirect";
import { signupSchema } from "@/lib/server/auth/validation";
import { applyCookies } from "@/lib/server/auth/auth-cookies";
import { signInBrowser } from "@/lib/server/auth/browser-sign-in";
import { fieldErrorsOf, formText, sentence, type FormState } from "@/lib/ui/forms/form-state";

/** The no-JavaScript sign-up form: the same service as POST /api/auth/signup. */
export async function signupAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email") ?? "";
  const name = formText(form, "name")?.trim() || undefined;
  const values = { email, name };
  const requestHeaders = await headers();
  if (!checkSameOrigin(requestHeaders).ok) {
    return {
      status: "error",
      message: "This form was submitted from another site and was refused.",
      fieldErrors: {},
      values,
    };
  }
  const parsed = signupSchema.safeParse({ email, name, password: formText(form, "password") ?? "" });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error.issues), values };

  const context = requestContext(requestHeaders);
  try {
    const jar = await cookies();
    applyCookies(jar, (await signInBrowser({ via: "signup", input: parsed.data }, context, jar)).cookies);
  } catch (error) {
    if (error instanceof AppError && error.code === "email_taken") {
      return {
        status: "error",
        code: "email_taken",
        fieldErrors: { email: "An account with this email already exists." },
        values,
      };
    }
    if (error instanceof AppError && error.field === "email")
      return { status: "error", fieldErrors: { email: sentence(error.description) }, values };
    if (error instanceof AppError)
      return { status: "error", message: sentence(error.description), fieldErrors: {}, values };
    throw error;
  }
  redirect(safeNextPath(formText(form, "next")));
}
