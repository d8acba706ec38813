/**
 * Creates the demo accounts when they are missing (development only). Existing accounts are left
 * exactly as they are, so a second start changes nothing.
 */
import { DEMO_ACCOUNTS } from "@/lib/server/accounts/demo-accounts";
import { createUser, EmailTakenError, findCredentialsByEmail } from "@/lib/server/accounts/users";
import { hashPassword } from "@/lib/server/auth/password";

export async function seedDemoAccounts(): Promise<string[]> {
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if (await findCredentialsByEmail(account.email)) continue;
    try {
      await createUser({
        email: account.email,
        name: account.name,
        role: account.role,
        passwordHash: await hashPassword(account.password),
      });
      created.push(account.email);
    } catch (error) {
      // Another instance seeded it between our check and insert: fine.
      if (!(error instanceof EmailTakenError)) throw error;
    }
  }
  return created;
}
