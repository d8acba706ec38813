import type { Metadata } from "next";
import { requireUser } from "@/lib/server/dal";
import { sessionSummaries } from "@/lib/server/auth/session/list";
import { LocalTime } from "@/components/local-time";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { StoreUnavailable } from "@/components/store-unavailable";
import { SecurityActivity } from "@/components/security-activity";
import { ownRecentActivity } from "@/lib/server/audit/views";
import { revokeOthersAction, revokeSessionAction } from "./actions";
import { ChangePasswordForm } from "./components";

export const metadata: Metadata = { title: "Sessions" };

const NOTICES: Record<string, string> = {
  revoked: "The session was revoked. Its next request is signed out, and its refresh token no longer works.",
  gone: "That session had already ended.",
  csrf: "That request came from another site and was refused.",
};

/** "Signed out 2 other sessions." — only a well-formed count is echoed, and none reads as none. */
function countedNotice(notice: "others" | "password", raw: string | undefined): string {
  const count = /^\d{1,6}$/.test(raw ?? "") ? Number(raw) : null;
  const ended =
    count === null
      ? "Every other session was signed out."
      : count === 0
        ? "No other session was signed in."
        : `Signed out ${count} other session${count === 1 ? "" : "s"}.`;
  return notice === "password" ? `Your password was changed. ${ended}` : ended;
}

export default async function SessionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const auth = await requireUser("/sessions");
  if (auth.status === "unavailable") return <StoreUnavailable message={auth.message} />;
  const params = await searchParams;
  const [sessions, activity] = await Promise.all([
    sessionSummaries(auth.user.id, auth.session.id),
    ownRecentActivity(auth.user.id),
  ]);
  // Object.hasOwn: "?notice=constructor" must not find Object.prototype's members.
  const notice =
    params.notice === "others" || params.notice === "password"
      ? countedNotice(params.notice, params.count)
      : params.notice && Object.hasOwn(NOTICES, params.notice)
        ? NOTICES[params.notice]
        : undefined;
  const others = sessions.filter((s) => !s.current).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Active sessions</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            Every place you are signed in, read from the <strong>{auth.session.store}</strong> session store. Revoking
            deletes the record: that browser is signed out on its very next request.
          </p>
        </div>
        {others > 0 ? (
          <form action={revokeOthersAction}>
            <button type="submit" className={buttonClass("danger")} data-testid="revoke-others">
              Sign out all other sessions
            </button>
          </form>
        ) : (
          <p className="text-sm text-slate-600" data-testid="no-other-sessions">
            No other sessions: this browser is the only one signed in.
          </p>
        )}
      </div>
      {notice ? <Alert tone={params.notice === "csrf" ? "error" : "success"}>{notice}</Alert> : null}
      <Card flush>
        <ul className="divide-y divide-slate-200" data-testid="session-list">
          {sessions.map((s) => (
            <li
              key={s.id}
              className="flex flex-wrap items-center justify-between gap-4 px-5 py-4"
              data-testid="session-row"
              data-current={s.current}
            >
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2 font-medium">
                  {s.device}
                  {s.current ? <Badge tone="good">this session</Badge> : null}
                </p>
                <p className="mt-1 text-sm text-slate-600">
                  <span className="font-mono">{s.ip ?? "unknown address"}</span> · signed in{" "}
                  <LocalTime instant={s.createdAt} /> · last seen <LocalTime instant={s.lastSeenAt} />
                </p>
                <p className="mt-1 font-mono text-xs text-slate-600">id {s.id}</p>
              </div>
              <form action={revokeSessionAction}>
                <input type="hidden" name="sessionId" value={s.id} />
                <button
                  type="submit"
                  className={buttonClass(s.current ? "secondary" : "danger", "px-3 py-1.5")}
                  aria-label={`Revoke ${s.current ? "this session (sign out)" : `session on ${s.device}`}`}
                >
                  {s.current ? "Sign out" : "Revoke"}
                </button>
              </form>
            </li>
          ))}
        </ul>
      </Card>
      <section aria-labelledby="password-heading" className="max-w-md">
        <h2 id="password-heading" className="text-lg font-semibold">
          Change your password
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          If a session above is not yours, change your password: every other session and its refresh token end, and this
          one stays signed in.
        </p>
        <Card>
          <ChangePasswordForm />
        </Card>
      </section>
      <SecurityActivity rows={activity} />
    </div>
  );
}
