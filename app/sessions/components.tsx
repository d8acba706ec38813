"use client";

import { useActionState, useEffect } from "react";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { IDLE } from "@/lib/ui/forms/form-state";
import { PASSWORD_MAX_CHARACTERS, PASSWORD_MIN_CHARACTERS } from "@/lib/ui/forms/limits";
import { changePasswordAction } from "./actions";

/** Works without JavaScript: a plain form post to the server action, answered with the page. */
export function ChangePasswordForm() {
  const [state, formAction, pending] = useActionState(changePasswordAction, IDLE);
  const errors = state.status === "error" ? state.fieldErrors : {};
  const firstInvalid = (["currentPassword", "newPassword"] as const).find((f) => errors[f]);
  useEffect(() => {
    if (firstInvalid) document.getElementById(firstInvalid)?.focus();
  }, [state, firstInvalid]);
  return (
    <form action={formAction} className="space-y-4" noValidate data-testid="password-form">
      {state.status === "error" && state.message ? (
        <Alert tone="error" testId="password-form-error">
          {state.message}
        </Alert>
      ) : null}
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        maxLength={PASSWORD_MAX_CHARACTERS}
        error={errors.currentPassword}
        autoFocus={firstInvalid === "currentPassword"}
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_CHARACTERS}
        maxLength={PASSWORD_MAX_CHARACTERS}
        error={errors.newPassword}
        autoFocus={firstInvalid === "newPassword"}
        hint={`${PASSWORD_MIN_CHARACTERS}–${PASSWORD_MAX_CHARACTERS} characters. Every other session is signed out.`}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
