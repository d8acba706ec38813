"use client";

import { useActionState, useEffect } from "react";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { IDLE } from "@/lib/ui/forms/form-state";
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_CHARACTERS } from "@/lib/ui/forms/limits";
import { loginAction } from "./actions";

export function LoginForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(loginAction, IDLE);
  const errors = state.status === "error" ? state.fieldErrors : {};
  // After a failed submit, focus goes to the first field to fix, which also makes screen readers read its error.
  const firstInvalid = (["email", "password"] as const).find((f) => errors[f]);
  // autoFocus covers the no-JavaScript round trip; this covers a submit handled in place.
  useEffect(() => {
    if (firstInvalid) document.getElementById(firstInvalid)?.focus();
  }, [state, firstInvalid]);
  return (
    <form action={formAction} className="space-y-5" noValidate data-testid="login-form">
      <input type="hidden" name="next" value={next} />
      {state.status === "error" && state.message ? (
        <Alert tone="error" testId="form-error">
          {state.message}
        </Alert>
      ) : null}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        maxLength={EMAIL_MAX_LENGTH}
        defaultValue={state.status === "error" ? state.values.email : undefined}
        error={errors.email}
        autoFocus={firstInvalid === "email"}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={PASSWORD_MAX_CHARACTERS}
        error={errors.password}
        autoFocus={firstInvalid === "password"}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
