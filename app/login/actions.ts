"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/edge/errors";
import { checkSameOrigin } from "@/lib/edge/http/csrf";
import { requestContext } from "@/lib/edge/http/request-context";
import { safeNextPath } from "@/lib/server/http/safe-redirect";
import { loginSchema } from "@/lib/server/auth/validation";
import { applyCookies } from "@/lib/server/auth/auth-cookies";
import { signInBrowser } from "@/lib/server/auth/browser-sign-in";
import { fieldErrorsOf, formText, sentence, type FormState } from "@/lib/ui/forms/form-state";

/** The no-JavaScript sign-in form: the same service as POST /api/auth/login. */
export async function loginAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = formText(form, "email") ?? "";
  const values = { email };
  const requestHeaders = await headers();
  const origin = checkSameOrigin(requestHeaders);
  if (!origin.ok)
    return {
      status: "error",
      message: "This form was submitted from another site and was refused.",
      fieldErrors: {},
      values,
    };

  const parsed = loginSchema.safeParse({ email, password: formText(form, "password") ?? "" });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error.issues), values };

  const context = requestContext(requestHeaders);
  try {
    const jar = await cookies();
    applyCookies(jar, (await signInBrowser({ via: "login", input: parsed.data }, context, jar)).cookies);
  } catch (error) {
    if (error instanceof AppError)
      return { status: "error", message: sentence(error.description), fieldErrors: {}, values };
    throw error;
  }
  redirect(safeNextPath(formText(form, "next")));
}
