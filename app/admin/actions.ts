"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/edge/errors";
import { checkSameOrigin } from "@/lib/edge/http/csrf";
import { requireSession } from "@/lib/server/auth/session/request-session";
import { changeRole } from "@/lib/server/accounts/change-role";
import { parseUserId } from "@/lib/edge/identity";
import { roleSchema } from "@/lib/server/auth/validation";
import { formText } from "@/lib/ui/forms/form-state";

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
  const userId = parseUserId(formText(form, "userId") ?? "");
  if (!role.success || userId === null) redirect("/admin?notice=invalid");
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
