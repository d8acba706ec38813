import type { EventRow } from "@/lib/server/audit/views";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/local-time";

/** Events that deserve a second look from the account's owner. */
const ALARMING = new Set(["sign_in_failed", "sign_in_throttled", "refresh_reuse_detected"]);

/** A user's own recent security events, in words (the /sessions page). Rows arrive as props. */
export function SecurityActivity({ rows }: { rows: EventRow[] | null }) {
  return (
    <section aria-labelledby="activity-title" className="space-y-3">
      <div>
        <h2 id="activity-title" className="text-lg font-semibold tracking-tight">
          Recent security activity
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Sign-ins, sign-outs and revocations on your account, newest first. Something you do not recognise? Sign out
          all other sessions and change your password.
        </p>
      </div>
      <Card flush>
        {rows === null ? (
          <p className="px-5 py-4 text-sm text-slate-600">Your activity cannot be read right now.</p>
        ) : rows.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-600">Nothing recorded yet.</p>
        ) : (
          <ol className="divide-y divide-slate-200" data-testid="activity-list">
            {rows.map((row) => (
              <li
                key={row.id}
                className="flex flex-col gap-1 px-5 py-3 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4"
                data-testid="activity-row"
                data-event={row.event}
              >
                <p className={`text-sm ${ALARMING.has(row.event) ? "font-semibold text-red-800" : "text-slate-900"}`}>
                  {ALARMING.has(row.event) ? <span className="sr-only">Warning: </span> : null}
                  {row.description}
                </p>
                <span className="shrink-0 text-xs text-slate-600">
                  <LocalTime instant={row.at} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </section>
  );
}
