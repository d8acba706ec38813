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
import { loginReasonOf, type LoginReason } from "@/lib/edge/login-reason";
import { LoginForm } from "./components";
import { TellOtherTabs } from "@/components/tell-other-tabs";

/** Why you are here, for each code a redirect may set; the wording names no internal check. */
const REASON_TEXT: Record<LoginReason, { tone: "info" | "warning"; text: string }> = {
  sign_in_required: { tone: "info", text: "Sign in to see that page: this browser has no session cookie." },
  expired: {
    tone: "info",
    text: "Your session expired: it was idle too long, or reached its absolute lifetime. Sign in again.",
  },
  ended: {
    tone: "warning",
    text: "Your session has ended: it was signed out or revoked (from the Sessions page, “sign out everywhere”, or a password change). Sign in again.",
  },
  unreadable: {
    tone: "warning",
    text: "This browser sent a session cookie the server could not open — it was altered, or sealed with a key the server no longer uses. Sign in again for a new one.",
  },
};

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
  const reason = loginReasonOf(params.reason);

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
              <p className="mt-1 text-xs text-slate-600" data-testid="lab-open-notice">
                In development the lab is open to everyone who signs up here: any account can run every experiment,
                including restarting this server, which signs everyone out of a memory store.
              </p>
              <dl className="mt-3 space-y-3 text-sm">
                {DEMO_ACCOUNTS.map((account) => (
                  <div key={account.email} data-testid="demo-account">
                    <dt className="font-medium">
                      {account.role === "ADMIN" ? "Admin account (role ADMIN)" : "User account (role USER)"}
                    </dt>
                    <dd className="text-xs text-slate-700">
                      <span className="text-slate-600">email </span>
                      <span className="font-mono">{account.email}</span>
                    </dd>
                    <dd className="text-xs text-slate-700">
                      <span className="text-slate-600">password </span>
                      <span className="font-mono">{account.password}</span>
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
      {reason ? (
        <div className="mb-5" data-testid="login-reason" data-reason={reason}>
          <Alert tone={REASON_TEXT[reason].tone}>{REASON_TEXT[reason].text}</Alert>
        </div>
      ) : null}
      {params.signedOut ? <TellOtherTabs /> : null}
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
