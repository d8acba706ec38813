"use client";

import { totalMs } from "@/lib/ui/lab/server-timing";
import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { boundJktOf } from "@/lib/ui/dpop/proof";
import type { Lab } from "./use-lab";

interface Cell {
  value: string;
  measured: boolean;
}

const pending = (how: string): Cell => ({ value: `— ${how}`, measured: false });
const yesNo = (yes: boolean, yesText: string, noText: string): Cell => ({
  value: yes ? yesText : noText,
  measured: true,
});

/** Every cell is derived from a request this page made; unmeasured cells say how to measure them. */
export function Comparison({ lab }: { lab: Lab }) {
  const m = lab.measurements;
  const s = m.sessionCall;
  const j = m.jwtCall;
  const bench = lab.props.benchmark;

  const rows: { metric: string; session: Cell; jwt: Cell }[] = [
    {
      metric: "Credential bytes per request",
      session: s
        ? { value: `${s.credential.bytes} B (${s.credential.header})`, measured: true }
        : pending("call GET /api/session"),
      jwt: j
        ? { value: `${j.credential.bytes} B (${j.credential.header})`, measured: true }
        : pending("call GET /api/me"),
    },
    {
      metric: "Store lookups per request",
      session:
        s?.storeLookups != null ? { value: String(s.storeLookups), measured: true } : pending("call GET /api/session"),
      jwt: j?.storeLookups != null ? { value: String(j.storeLookups), measured: true } : pending("call GET /api/me"),
    },
    {
      metric: "Check time on the server",
      session: s
        ? {
            value: `${totalMs(s.timings, ["unseal", "store", "user"]).toFixed(2)} ms (unseal + store + user)`,
            measured: true,
          }
        : pending("call GET /api/session"),
      jwt: j
        ? {
            value: `${totalMs(j.timings, ["verify", "dpop"]).toFixed(2)} ms (${j.timings.some((t) => /already verified/.test(t.description)) ? "this token was verified before: signature check reused" : "signature verify"}${j.proof ? ", plus its DPoP proof" : ""})`,
            measured: true,
          }
        : pending("call GET /api/me"),
    },
    {
      metric: "Survives a restart",
      session: m.restart
        ? yesNo(
            m.restart.sessionStatus === 200,
            `yes (${m.restart.store} store)`,
            `no (${m.restart.store} store: 401 after restart)`,
          )
        : pending("run Restart"),
      jwt: m.restart ? yesNo(m.restart.jwtStatus === 200, "yes", "no") : pending("run Restart"),
    },
    {
      metric: "Served by another instance",
      session: m.peer
        ? yesNo(
            m.peer.sessionStatus === 200,
            `yes (${m.peer.sessionInstance ?? m.peer.origin})`,
            `no (${m.peer.sessionStatus} from ${m.peer.origin})`,
          )
        : pending(lab.props.peers.length ? "run Another instance" : "needs npm run cluster"),
      jwt: m.peer
        ? yesNo(m.peer.jwtStatus === 200, `yes (${m.peer.jwtInstance ?? m.peer.origin})`, `no (${m.peer.jwtStatus})`)
        : pending(lab.props.peers.length ? "run Another instance" : "needs npm run cluster"),
    },
    {
      metric: "Revocable at once",
      session: m.revoke
        ? yesNo(m.revoke.sessionStatus === 401, "yes (401 on the next request)", "no")
        : pending("run Sign out everywhere"),
      jwt: m.revoke
        ? yesNo(
            m.revoke.jwtStatus !== 200,
            "yes",
            `no: ${m.revoke.jwtStatus} until exp; strict check answered ${m.revoke.strictStatus}`,
          )
        : pending("run Sign out everywhere"),
    },
    {
      metric: "Needs shared state across instances",
      session:
        s?.storeLookups != null
          ? yesNo(s.storeLookups > 0, `yes (${lab.props.session.store} store)`, "no")
          : pending("call GET /api/session"),
      jwt:
        j?.storeLookups != null
          ? yesNo(j.storeLookups > 0, "yes", "no (public keys only)")
          : pending("call GET /api/me"),
    },
    {
      metric: "CSRF exposure",
      session: m.automatic
        ? yesNo(
            m.automatic.session === 200,
            "sent automatically — mitigated by SameSite=Lax + Origin check",
            "not sent automatically",
          )
        : pending("run the CSRF/XSS experiment"),
      jwt: m.automatic
        ? yesNo(m.automatic.jwt === 200, "sent automatically", "none: only sent when code adds it")
        : pending("run the CSRF/XSS experiment"),
    },
    {
      metric: "XSS exposure",
      session:
        m.cookieReadableByScript === undefined
          ? pending("run the CSRF/XSS experiment")
          : yesNo(
              !m.cookieReadableByScript,
              "not readable by script (HttpOnly); still usable by it while the page is open",
              "readable by script",
            ),
      jwt:
        m.cookieReadableByScript === undefined
          ? pending("run the CSRF/XSS experiment")
          : {
              value: !lab.token
                ? "no token held"
                : boundJktOf(decodeJwt(lab.token)?.payload)
                  ? "readable by script on the page, but bound to a key it cannot export (DPoP): useless elsewhere"
                  : "readable by any script on the page (it is in memory), and usable anywhere",
              measured: true,
            },
    },
  ];
  if (bench) {
    rows.push({
      metric: `Load test (npm run bench, ${new Date(bench.measuredAt).toLocaleDateString("en-GB")})`,
      session: {
        value: bench.sessionRps ? `${Math.round(bench.sessionRps)} req/s (database store)` : "—",
        measured: true,
      },
      jwt: { value: bench.jwtRps ? `${Math.round(bench.jwtRps)} req/s` : "—", measured: true },
    });
  }

  return (
    <section
      aria-labelledby="comparison-heading"
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <h2 id="comparison-heading" className="text-lg font-semibold">
        Side by side, measured
      </h2>
      <p className="text-sm text-slate-600">
        Filled from the requests and experiments on this page. Nothing here is written in advance.
      </p>
      <dl className="mt-3 divide-y divide-slate-100 sm:hidden">
        {rows.map((row) => (
          <div key={row.metric} className="py-2 text-sm">
            <dt className="font-medium text-slate-800">{row.metric}</dt>
            <dd className={`mt-0.5 ${row.session.measured ? "text-slate-900" : "text-slate-600"}`}>
              <span className="font-semibold text-session-700">Session: </span>
              {row.session.value}
            </dd>
            <dd className={`mt-0.5 ${row.jwt.measured ? "text-slate-900" : "text-slate-600"}`}>
              <span className="font-semibold text-jwt-700">JWT: </span>
              {row.jwt.value}
            </dd>
          </div>
        ))}
      </dl>
      <div className="mt-3 hidden overflow-x-auto sm:block">
        <table className="min-w-full text-left text-sm" data-testid="comparison-table">
          <caption className="sr-only">Session and JWT compared on measured values</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="py-2 pr-4">
                Measure
              </th>
              <th scope="col" className="py-2 pr-4 text-session-700">
                Session
              </th>
              <th scope="col" className="py-2 text-jwt-700">
                JWT
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.metric} data-testid="comparison-row">
                <th scope="row" className="py-2 pr-4 font-medium text-slate-800">
                  {row.metric}
                </th>
                <td
                  className={`py-2 pr-4 ${row.session.measured ? "text-slate-900" : "text-slate-600"}`}
                  data-measured={row.session.measured}
                >
                  {row.session.value}
                </td>
                <td
                  className={`py-2 ${row.jwt.measured ? "text-slate-900" : "text-slate-600"}`}
                  data-measured={row.jwt.measured}
                >
                  {row.jwt.value}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
