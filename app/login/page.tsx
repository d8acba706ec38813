import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { config } from "@/lib/edge/config";
import { verifySession } from "@/lib/server/dal";
import { safeNextPath } from "@/lib/server/http/safe-redirect";
import { DEMO_ACCOUNTS } from "@/lib/server/accounts/demo-accounts";
import { AuthPanel } from "@/components/auth-panel";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LoginForm } from "./components";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const check = await verifySession();
  if (check.status === "signed-in") redirect(next);

  return (
    <AuthPanel
      title="Sign in"
      subtitle="One sign-in gives you both: a session cookie for pages and an access token for the API."
      aside={
        <>
          {config().env === "development" ? (
            <Card as="div" data-testid="demo-accounts">
              <h2 className="text-sm font-semibold">Demo accounts</h2>
              <p className="mt-1 text-xs text-slate-600">Seeded in development only.</p>
              <dl className="mt-3 space-y-3 text-sm">
                {DEMO_ACCOUNTS.map((account) => (
                  <div key={account.email}>
                    <dt className="font-medium">{account.role === "ADMIN" ? "Admin" : "User"}</dt>
                    <dd className="font-mono text-xs text-slate-700">
                      {account.email}
                      <br />
                      {account.password}
                    </dd>
                  </div>
                ))}
              </dl>
            </Card>
          ) : null}
          <p className="text-sm text-slate-600">
            New here?{" "}
            <Link
              href={`/signup?next=${encodeURIComponent(next)}`}
              className="font-semibold text-indigo-700 underline-offset-2 hover:underline"
            >
              Create an account
            </Link>
          </p>
        </>
      }
    >
      {params.signedOut === "1" ? (
        <div className="mb-5">
          <Alert tone="success">You are signed out. The session record is gone and the refresh token is revoked.</Alert>
        </div>
      ) : null}
      {params.signedOut === "incomplete" ? (
        <div className="mb-5">
          <Alert tone="warning">
            Your browser forgot its cookies, but the session store could not be reached to delete the record. It will
            expire on its own.
          </Alert>
        </div>
      ) : null}
      <LoginForm next={next} />
    </AuthPanel>
  );
}
