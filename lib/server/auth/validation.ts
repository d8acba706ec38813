/**
 * Input schemas for the account endpoints and forms. Parse at the edge of the system, trust inside.
 */
import "server-only";
import { z } from "zod";

import {
  EMAIL_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_CHARACTERS,
  PASSWORD_MIN_CHARACTERS,
} from "@/lib/ui/forms/limits";

export { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_CHARACTERS, PASSWORD_MIN_CHARACTERS };

/** Counts code points, not UTF-16 units, so an emoji is one character as the user sees it. */
const characterCount = (s: string) => [...s].length;

/**
 * Lower-cases the whole address. RFC 5321 lets the local part be case-sensitive, but no mainstream
 * provider treats it so, and one account per mailbox is what users expect (`Alice@x` = `alice@x`).
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string({ error: "email must be a string" })
  .trim()
  .min(1, "email is required")
  .max(EMAIL_MAX_LENGTH, `email must be at most ${EMAIL_MAX_LENGTH} characters`)
  .pipe(z.email({ error: "email is not a valid address" }))
  .transform(normaliseEmail);

/** OWASP ASVS 2.1.1 / 2.1.2: at least 8 characters, at most 128, and never silently truncated. */
export const passwordSchema = z
  .string({ error: "password must be a string" })
  .refine(
    (p) => characterCount(p) >= PASSWORD_MIN_CHARACTERS,
    `password must be at least ${PASSWORD_MIN_CHARACTERS} characters`,
  )
  .refine(
    (p) => characterCount(p) <= PASSWORD_MAX_CHARACTERS,
    `password must be at most ${PASSWORD_MAX_CHARACTERS} characters`,
  );

export const nameSchema = z
  .string({ error: "name must be a string" })
  .trim()
  .min(1, "name must not be empty")
  .max(NAME_MAX_LENGTH, `name must be at most ${NAME_MAX_LENGTH} characters`)
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), "name must not contain control characters");

export const signupSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema.optional(),
});
export type SignupInput = z.infer<typeof signupSchema>;

/**
 * Login checks only that the password is a string of bounded size; the length policy applies to new
 * passwords, and telling a caller "too short" here would leak nothing useful but add a code path.
 */
export const loginSchema = z.strictObject({
  email: emailSchema,
  password: z
    .string({ error: "password must be a string" })
    .min(1, "password is required")
    .refine(
      (p) => characterCount(p) <= PASSWORD_MAX_CHARACTERS,
      `password must be at most ${PASSWORD_MAX_CHARACTERS} characters`,
    ),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string({ error: "currentPassword must be a string" }).min(1, "currentPassword is required"),
  newPassword: passwordSchema,
});

export const roleSchema = z.enum(["USER", "ADMIN"], { error: 'role must be "USER" or "ADMIN"' });
