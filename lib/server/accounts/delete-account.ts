/**
 * Deleting an account ends everything it had: sessions in whichever store, refresh families (by
 * cascade), the user row. Outstanding access tokens still verify at the Edge until they expire;
 * strict handlers refuse them because the user is gone.
 */
import "server-only";
import { revokeOtherSessions } from "@/lib/server/auth/session/session-lifecycle";
import { revokeFamiliesOfUser } from "@/lib/server/auth/refresh/family-store";
import { deleteUser } from "@/lib/server/accounts/users";
import { log } from "@/lib/server/log";

export async function deleteAccount(userId: number): Promise<void> {
  await revokeOtherSessions(userId);
  await revokeFamiliesOfUser(userId, "account_deleted");
  await deleteUser(userId);
  log.info("account.deleted", { userId });
}
