import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { requireUser } from "@/lib/server/dal";
import { countUsers, listUsers } from "@/lib/server/accounts/users";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { StoreUnavailable } from "@/components/store-unavailable";
import { changeRoleAction } from "./actions";

export const metadata: Metadata = { title: "Admin" };

const NOTICES: Record<string, [string, "success" | "error"]> = {
  invalid_request: ["You cannot change your own role; ask another admin.", "error"],
  not_found: ["That user no longer exists.", "error"],
  forbidden: ["Only an admin can change roles.", "error"],
  invalid: ["That change was not understood.", "error"],
  csrf: ["That request came from another site and was refused.", "error"],
};

export default async function AdminPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const auth = await requireUser("/admin", { fromStore: true });
  if (auth.status === "unavailable") return <StoreUnavailable message={auth.message} />;
  // Signed in but not an admin: 403 (app/forbidden.tsx), not a 200 page that says so.
  if (auth.user.role !== "ADMIN") forbidden();
  const params = await searchParams;
  const [users, counts] = await Promise.all([listUsers(), countUsers()]);
  const notice =
    // Only well-formed values are echoed back, so the link cannot be made to say something else.
    params.notice === "changed" &&
    /^\d{1,10}$/.test(params.user ?? "") &&
    (params.role === "USER" || params.role === "ADMIN")
      ? ([
          `User #${params.user} is now ${params.role}. Their session sees it on its next request; their access token after its next refresh.`,
          "success",
        ] as const)
      : params.notice && Object.hasOwn(NOTICES, params.notice)
        ? NOTICES[params.notice]
        : undefined;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Admin</h1>
        <p className="mt-1 text-sm text-slate-600">
          {counts.total} account{counts.total === 1 ? "" : "s"}, {counts.admins} admin{counts.admins === 1 ? "" : "s"}.
          Change a role and watch the two flows disagree until the JWT is refreshed.
        </p>
      </div>
      <p className="text-sm">
        <Link href="/admin/audit" className="font-medium text-slate-900 underline underline-offset-2">
          Audit trail: sign-ins, revocations and token reuse →
        </Link>
      </p>
      {notice ? <Alert tone={notice[1]}>{notice[0]}</Alert> : null}
      {/* Below 640 px each row stacks (user and role, then the control), so nothing runs off a phone screen. */}
      <Card flush>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Accounts and their roles</caption>
          <thead className="hidden bg-slate-50 text-xs uppercase tracking-wide text-slate-600 sm:table-header-group">
            <tr>
              <th scope="col" className="px-5 py-3">
                User
              </th>
              <th scope="col" className="px-5 py-3">
                Role
              </th>
              <th scope="col" className="px-5 py-3">
                Change role
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {users.map((user) => (
              <tr
                key={user.id}
                data-testid="user-row"
                className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 px-4 py-3 sm:table-row sm:p-0"
              >
                <td className="min-w-0 sm:px-5 sm:py-3">
                  <p className="font-medium">{user.name}</p>
                  <p className="break-all text-xs text-slate-600">
                    #{user.id} · {user.email}
                  </p>
                </td>
                <td className="sm:px-5 sm:py-3">
                  <Badge tone={user.role === "ADMIN" ? "warn" : "neutral"}>{user.role}</Badge>
                </td>
                <td className="col-span-2 pt-2 sm:px-5 sm:py-3">
                  {user.id === auth.user.id ? (
                    <span className="text-xs text-slate-600">you</span>
                  ) : (
                    <form action={changeRoleAction} className="flex items-center gap-2">
                      <input type="hidden" name="userId" value={user.id} />
                      <label className="sr-only" htmlFor={`role-${user.id}`}>
                        Role for {user.email}
                      </label>
                      <select
                        id={`role-${user.id}`}
                        name="role"
                        defaultValue={user.role}
                        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
                      >
                        <option value="USER">USER</option>
                        <option value="ADMIN">ADMIN</option>
                      </select>
                      <button type="submit" className={buttonClass("secondary", "px-3 py-1.5")}>
                        Save
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
