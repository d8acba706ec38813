"use client";

import { useActionState, useEffect } from "react";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { IDLE } from "@/lib/ui/forms/form-state";
import Link from "next/link";
import {
  EMAIL_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_CHARACTERS,
  PASSWORD_MIN_CHARACTERS,
} from "@/lib/ui/forms/limits";
import { signupAction } from "./actions";

export function SignupForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(signupAction, IDLE);
  const errors = state.status === "error" ? state.fieldErrors : {};
  const values = state.status === "error" ? state.values : {};
  // After a failed submit, focus goes to the first field to fix, which also makes screen readers read its error.
  const firstInvalid = (["name", "email", "password"] as const).find((f) => errors[f]);
  // autoFocus covers the no-JavaScript round trip; this covers a submit handled in place.
  useEffect(() => {
    if (firstInvalid) document.getElementById(firstInvalid)?.focus();
  }, [state, firstInvalid]);
  return (
    <form action={formAction} className="space-y-5" noValidate data-testid="signup-form">
      <input type="hidden" name="next" value={next} />
      {state.status === "error" && state.message ? (
        <Alert tone="error" testId="form-error">
          {state.message}
        </Alert>
      ) : null}
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        maxLength={NAME_MAX_LENGTH}
        defaultValue={values.name}
        error={errors.name}
        hint="Optional. Shown in the header; never put in a token."
        autoFocus={firstInvalid === "name"}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        maxLength={EMAIL_MAX_LENGTH}
        defaultValue={values.email}
        error={
          state.status === "error" && state.code === "email_taken" ? (
            <>
              {errors.email}{" "}
              <Link
                href={`/login?next=${encodeURIComponent(next)}`}
                className="font-semibold underline"
                data-testid="sign-in-instead"
              >
                Sign in instead
              </Link>
            </>
          ) : (
            errors.email
          )
        }
        autoFocus={firstInvalid === "email"}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_CHARACTERS}
        maxLength={PASSWORD_MAX_CHARACTERS}
        error={errors.password}
        autoFocus={firstInvalid === "password"}
        hint={`${PASSWORD_MIN_CHARACTERS} to ${PASSWORD_MAX_CHARACTERS} characters. A passphrase is easiest to remember.`}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
