/**
 * State returned by the sign-in and sign-up server actions to their forms. Passwords are never sent
 * back; the email and name are, so the user does not retype them.
 */
export type FormField = "email" | "password" | "name" | "currentPassword" | "newPassword";

export type FormState =
  | { status: "idle" }
  | {
      status: "error";
      message?: string;
      /** A stable code for a failure the form answers with more than words (email_taken: a sign-in link). */
      code?: "email_taken";
      fieldErrors: Partial<Record<FormField, string>>;
      values: { email?: string; name?: string };
    };

export const IDLE: FormState = { status: "idle" };

export function formText(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

/** The first message for each field of a failed zod parse. */
export function fieldErrorsOf(issues: { path: PropertyKey[]; message: string }[]): Partial<Record<FormField, string>> {
  const errors: Partial<Record<FormField, string>> = {};
  for (const issue of issues) {
    const field = issue.path[0] as FormField;
    errors[field] ??= sentence(issue.message);
  }
  return errors;
}

export function sentence(text: string): string {
  const trimmed = text.trim();
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? "" : "."}`;
}
