"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { checkSameOrigin } from "@/lib/http/csrf";
import { requireSession } from "@/lib/auth/session/request-session";
import { MAX_USER_ID, changeRole } from "@/lib/accounts/change-role";
import { roleSchema } from "@/lib/auth/validation";
import { formText } from "@/lib/forms/form-state";

export async function changeRoleAction(form: FormData): Promise<void> {
  const requestHeaders = await headers();
  if (!checkSameOrigin(requestHeaders).ok) redirect("/admin?notice=csrf");
  let auth;
  try {
    auth = await requireSession(await cookies(), requestHeaders);
  } catch (error) {
    if (error instanceof AppError && error.code === "no_session") redirect("/login?next=/admin");
    throw error;
  }
  const role = roleSchema.safeParse(formText(form, "role"));
  const userId = Number(formText(form, "userId"));
  if (!role.success || !Number.isInteger(userId) || userId <= 0 || userId > MAX_USER_ID) redirect("/admin?notice=invalid");
  let target: string;
  try {
    const updated = await changeRole(auth.user, userId, role.data);
    target = `/admin?notice=changed&user=${updated.id}&role=${updated.role}`;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    target = `/admin?notice=${error.code}`;
  }
  redirect(target);
}
