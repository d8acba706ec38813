import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/server/dal";
import { adminAuditView } from "@/lib/server/audit/views";
import { SECURITY_EVENTS } from "@/lib/server/audit/events";
import { DEFAULT_PAGE_SIZE } from "@/lib/server/audit/query";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { StoreUnavailable } from "@/components/store-unavailable";
import { forbidden } from "next/navigation";
import { LocalTime } from "@/components/local-time";

export const metadata: Metadata = { title: "Audit trail" };

const ALARMING = new Set([
  "sign_in_failed",
  "sign_in_throttled",
  "refresh_reuse_detected",
  "session_store_unavailable",
]);
const PAGE_SIZES = [25, 50, 100];
const SELECT_CLASS = "block h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm shadow-sm";

function toParams(raw: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(name, v);
  }
  return params;
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const auth = await requireUser("/admin/audit", { fromStore: true });
  if (auth.status === "unavailable") return <StoreUnavailable message={auth.message} />;
  // Signed in but not an admin: 403 (app/forbidden.tsx).
  if (auth.user.role !== "ADMIN") forbidden();
  const params = toParams(await searchParams);
  const view = await adminAuditView(params);
  const query = view.ok ? view.query : { limit: DEFAULT_PAGE_SIZE };
  const older = new URLSearchParams();
  if (view.ok && view.nextCursor) {
    if (query.event) older.set("event", query.event);
    if (query.userId !== undefined) older.set("userId", String(query.userId));
    older.set("limit", String(query.limit));
    older.set("before", view.nextCursor);
  }

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/admin" className="text-slate-600 underline-offset-2 hover:underline">
            ← Admin
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-bold tracking-tight">Audit trail</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Security events from every instance, newest first. Addresses and devices are what the server saw; no password,
          token or cookie is ever recorded. The same data: <code>GET /api/admin/audit</code>.
        </p>
      </div>

      <Card>
        <form
          method="get"
          className="grid gap-4 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end"
          aria-label="Audit filters"
        >
          <div className="space-y-1.5">
            <label htmlFor="event" className="block text-sm font-medium text-slate-800">
              Event
            </label>
            <select id="event" name="event" defaultValue={query.event ?? ""} className={SELECT_CLASS}>
              <option value="">All events</option>
              {SECURITY_EVENTS.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1.5">
            <label htmlFor="userId" className="block text-sm font-medium text-slate-800">
              User id
            </label>
            <input
              id="userId"
              name="userId"
              inputMode="numeric"
              pattern="[0-9]*"
              defaultValue={params.get("userId") ?? ""}
              aria-invalid={!view.ok && view.field === "userId" ? true : undefined}
              aria-describedby={!view.ok ? "audit-invalid" : undefined}
              className={SELECT_CLASS}
            />
          </div>
          <div className="space-y-1.5">
            <label htmlFor="limit" className="block text-sm font-medium text-slate-800">
              Per page
            </label>
            <select id="limit" name="limit" defaultValue={String(query.limit)} className={SELECT_CLASS}>
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass("primary")}>
            Filter
          </button>
        </form>
      </Card>

      {!view.ok ? (
        <Alert tone="error" testId="audit-invalid" id="audit-invalid">
          The filter “{view.field}” was not understood; showing nothing until it is fixed.
        </Alert>
      ) : view.rows.length === 0 ? (
        <Alert tone="info">No events match.</Alert>
      ) : (
        <Card flush>
          {/* Narrow screens: one block per event instead of a table four columns wide. */}
          <ol className="divide-y divide-slate-200 sm:hidden" aria-label="Security events, newest first">
            {view.rows.map((row) => (
              <li key={row.id} className="space-y-1 px-4 py-3 text-xs" data-event={row.event}>
                <p className="flex flex-wrap items-center justify-between gap-2">
                  <Badge tone={ALARMING.has(row.event) ? "bad" : "neutral"}>{row.event}</Badge>
                  <span className="font-mono text-slate-600">
                    <LocalTime instant={row.at} />
                  </span>
                </p>
                <p className="text-slate-800">{row.description}</p>
                {row.userId === null ? null : (
                  <p className="text-slate-700">
                    <span className="font-medium text-slate-900">{row.account ?? "deleted account"}</span> · #
                    {row.userId}
                  </p>
                )}
                {row.userAgent ? (
                  <p className="break-words font-mono text-[11px] text-slate-600">{row.userAgent}</p>
                ) : null}
              </li>
            ))}
          </ol>
          {/* Focusable, so a keyboard can scroll the table sideways if it must (WCAG 2.1.1). */}
          <div role="region" aria-label="Security events" tabIndex={0} className="hidden overflow-x-auto sm:block">
            <table className="min-w-full text-left text-sm" data-testid="audit-table">
              <caption className="sr-only">Security events, newest first</caption>
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-3">
                    When
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Event
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Account
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Address and device
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
                {view.rows.map((row) => (
                  <tr key={row.id} data-testid="audit-row" data-event={row.event} className="align-top">
                    <td className="whitespace-nowrap px-4 py-3 font-mono text-xs text-slate-700">
                      <LocalTime instant={row.at} />
                    </td>
                    <td className="px-4 py-3">
                      <Badge tone={ALARMING.has(row.event) ? "bad" : "neutral"}>{row.event}</Badge>
                      <p className="mt-1 max-w-md text-xs text-slate-700">{row.description}</p>
                    </td>
                    <td className="px-4 py-3 text-xs">
                      {row.userId === null ? (
                        <span className="text-slate-600">—</span>
                      ) : (
                        <>
                          <p className="font-medium text-slate-900" data-testid="audit-account">
                            {row.account ?? "deleted account"}
                          </p>
                          <p className="text-slate-600">
                            #{row.userId}
                            {row.sessionId ? ` · session ${row.sessionId}` : ""}
                          </p>
                        </>
                      )}
                    </td>
                    <td className="px-4 py-3 text-xs">
                      <p className="font-mono text-slate-900" data-testid="audit-ip">
                        {row.ip ?? "—"}
                      </p>
                      <p className="text-slate-700">{row.device ?? ""}</p>
                      {row.userAgent ? (
                        <p className="max-w-xs break-words font-mono text-[11px] text-slate-600" data-testid="audit-ua">
                          {row.userAgent}
                        </p>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
      {view.ok && view.nextCursor ? (
        <p>
          <Link href={`/admin/audit?${older.toString()}`} className={buttonClass("secondary")} rel="next">
            Older events →
          </Link>
        </p>
      ) : null}
    </div>
  );
}
