/**
 * An admin changes a user's role. Sessions see it on their next request (the user is read from the
 * database each time); access tokens keep the old role until they are refreshed or expire, unless a
 * handler runs the strict check — the lab shows both.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import type { Role, UserDto } from "@/lib/edge/identity";
import { updateRole } from "@/lib/server/accounts/users";
import { securityEvent } from "@/lib/server/audit/record";

export async function changeRole(actor: UserDto, targetId: number, role: Role): Promise<UserDto> {
  if (actor.role !== "ADMIN") throw new AppError("forbidden", "only an admin can change roles");
  if (actor.id === targetId)
    throw new AppError("invalid_request", "you cannot change your own role; ask another admin");
  const updated = await updateRole(targetId, role);
  if (!updated) throw new AppError("not_found", "no such user");
  securityEvent("role_changed", { userId: targetId, detail: { role: updated.role, changedBy: actor.id } });
  return updated;
}
