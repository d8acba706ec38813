/**
 * `npm run admin:grant -- <email>` (or `-- <email> USER` to demote): the operator's way to make the
 * first admin in production, where no demo accounts exist.
 */
import { loadEnvFiles, checkedConfig } from "./lib/prepare";

loadEnvFiles(process.cwd());
process.env.AUTHLAB_ENV ||= process.env.NODE_ENV === "production" ? "production" : "development";
checkedConfig();
const [email, role = "ADMIN"] = process.argv.slice(2);
if (!email || (role !== "ADMIN" && role !== "USER")) {
  console.error("usage: npm run admin:grant -- <email> [ADMIN|USER]");
  process.exit(2);
}
const { db } = await import("@/lib/server/db/client");
const { normaliseEmail } = await import("@/lib/server/auth/validation");
const { securityEvent, auditWritesSettled } = await import("@/lib/server/audit/record");
const account = await db().user.findUnique({ where: { email: normaliseEmail(email) }, select: { id: true } });
if (!account) {
  console.error(`No account with the email ${email}.`);
  process.exit(1);
}
await db().user.update({ where: { id: account.id }, data: { role } });
securityEvent("role_changed", { userId: account.id, detail: { role, changedBy: "operator" } });
await auditWritesSettled();
console.log(`${email} is now ${role}. Their sessions see it at once; their access tokens after the next refresh.`);
await db().$disconnect();
