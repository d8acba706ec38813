import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

/**
 * What forbidden() renders, with status 403: the reader is signed in (a signed-out reader is sent to
 * /login instead) but this account may not see the page. The admin pages judge the role in the store.
 */
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-xl space-y-4 py-12 text-center" data-testid="forbidden">
      <p className="text-sm font-semibold uppercase tracking-wide text-indigo-700">403</p>
      <h1 className="text-3xl font-bold tracking-tight">Admins only</h1>
      <p className="text-slate-700">
        You are signed in, but not as an admin: the page checked your role in the session store just now.
      </p>
      <div className="flex justify-center gap-3">
        <Link href="/dashboard" className={buttonClass("primary")}>
          Dashboard
        </Link>
      </div>
    </div>
  );
}
