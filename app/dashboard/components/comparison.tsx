"use client";

import type { Lab } from "./use-lab";
import { MECHANISMS, type MechanismId, type MechanismProbe } from "./race-mechanisms";
import { cacheLabel, outcomeText } from "./race-wording";
import type { RevocationRace } from "./use-revocation-race";
import { GATE_TITLES, GATES } from "@/lib/edge/gate/name";

interface Cell {
  value: string;
  measured: boolean;
}

type Row = { metric: string; cells: Record<MechanismId, Cell> };

const measured = (value: string): Cell => ({ value, measured: true });
const waiting = (value: string): Cell => ({ value, measured: false });
const each = (fn: (id: MechanismId) => Cell): Record<MechanismId, Cell> =>
  Object.fromEntries(MECHANISMS.map((m) => [m.id, fn(m.id)])) as Record<MechanismId, Cell>;

/** A probe's cell, or "measuring…" while the page-load requests are still out. */
function fromProbe(probe: MechanismProbe | undefined, fn: (p: MechanismProbe) => string): Cell {
  return probe ? measured(fn(probe)) : waiting("measuring…");
}

const isCookie = (id: MechanismId) => id === "store" || id === "cached";

interface CacheAnswer {
  source: string;
  snapshotTakenAt: string | null;
  storeLastSeenReachable: boolean | null;
}

/**
 * What this page's own latest GET /api/session said about the store: with the cookie cache, an answer
 * from the snapshot while this instance last saw the store unreachable (SECURITY.md, "Cookie cache"), or a 503.
 */
function outageNow(lab: Lab): string | null {
  const latest = lab.traces.find((t) => /\/api\/session$/.test(t.url));
  if (!latest) return null;
  if (latest.error === "session_store_unavailable") return "now: this page's session check answered 503";
  const cache = (latest.body as { cache?: CacheAnswer } | null)?.cache;
  if (cache?.source !== "cookie-cache" || cache.storeLastSeenReachable !== false) return null;
  const taken = cache.snapshotTakenAt ? new Date(cache.snapshotTakenAt).toLocaleTimeString("en-GB") : "?";
  return `now: the store is unreachable, and this page's session answered from its snapshot (taken ${taken})`;
}

/**
 * The decision table (README, "Which mechanism, when"): the four mechanisms, every cell from a request this page made
 * on load, from the revocation race, or from `npm run bench` (labelled with its date and machine).
 */
export function Comparison({ lab, race }: { lab: Lab; race: RevocationRace }) {
  const { probes, prepared, result, exposure } = race;
  const { restart, peer } = lab.measurements;
  const store = lab.props.session.store;
  const bench = lab.props.benchmark;
  const window = prepared ? `${prepared.cacheSeconds} s` : "its window";

  const rows: Row[] = [
    {
      metric: "Revocation latency (revoked from another browser)",
      cells: each((id) =>
        result ? measured(outcomeText(id, result.outcomes[id], result)) : waiting("run the revocation race"),
      ),
    },
    {
      metric: "Store lookups per request",
      cells: each((id) =>
        fromProbe(probes[id], (p) =>
          id === "cached" && p.source === "cookie-cache"
            ? `${p.storeLookups ?? "?"} (snapshot trusted; 1 lookup and a re-seal once it is ${window} old)`
            : String(p.storeLookups ?? "?"),
        ),
      ),
    },
    {
      metric: `Check time on the server, through this page's gate (Server-Timing)`,
      cells: each((id) => fromProbe(probes[id], (p) => `${p.checkMs.toFixed(2)} ms (${p.steps})`)),
    },
    {
      metric: "Survives a store outage",
      cells: each((id) =>
        fromProbe(probes[id], (p) => {
          if (p.storeLookups === 0 && id === "bearer") return "yes: no store on the path";
          if (id === "cached") {
            const now = outageNow(lab);
            return `for ${window}: the snapshot answers; then 503 until the store returns${now ? ` — ${now}` : ""}`;
          }
          return `no: ${p.storeLookups} lookup(s) per request, 503 while the store is down`;
        }),
      ),
    },
    {
      metric: "Works across instances",
      cells: each((id) => {
        // The "another instance" experiment (npm run cluster) measures the store session and the JWT.
        if (peer && (id === "store" || id === "bearer")) {
          const status = id === "store" ? peer.sessionStatus : peer.jwtStatus;
          const instance = (id === "store" ? peer.sessionInstance : peer.jwtInstance) ?? peer.origin;
          return measured(status === 200 ? `yes (${instance})` : `no (${status} from ${peer.origin})`);
        }
        if (id === "bearer") return measured("yes: any instance with the public keys (JWKS)");
        if (id === "strict") return measured("yes, with the shared database (revocations live there)");
        const shared = store !== "memory";
        const sealed = id === "cached" ? "; the snapshot opens wherever SESSION_PASSWORD does" : "";
        return measured(
          shared ? `yes (${store} store is shared)${sealed}` : `no: the memory store lives in one process${sealed}`,
        );
      }),
    },
    {
      metric: "Survives a restart",
      cells: each((id) => {
        if (!restart) return waiting("run Restart");
        const status = isCookie(id) ? restart.sessionStatus : restart.jwtStatus;
        if (id === "cached" || id === "strict") return waiting("Restart asks the store session and the bearer JWT");
        if (isCookie(id))
          return measured(
            status === 200
              ? `yes (${restart.store} store${restart.mode === "process" ? ", real restart" : ""})`
              : `no (${restart.store} store: 401 after ${restart.mode === "process" ? "a real" : "a simulated"} restart)`,
          );
        return measured(status === 200 ? "yes" : "no");
      }),
    },
    {
      metric: "Credential bytes per request",
      cells: each((id) =>
        fromProbe(probes[id], (p) => `${p.bytes} B (${isCookie(id) ? "Cookie" : "Authorization: Bearer"})`),
      ),
    },
    {
      metric: "CSRF exposure",
      cells: each((id) => {
        if (!exposure) return waiting("measuring…");
        if (isCookie(id))
          return measured(
            probes[id]?.status === 200
              ? "sent by the browser on its own (this page attached nothing): SameSite=Lax + Origin check on every state change"
              : "not sent",
          );
        // Fetch never adds an Authorization header of its own accord: only code that holds the token can.
        return measured("none: the browser never attaches Authorization by itself; page code must add it");
      }),
    },
    {
      metric: "XSS exposure",
      cells: each((id) => {
        if (!exposure) return waiting("measuring…");
        if (isCookie(id))
          return measured(
            exposure.cookiesReadable
              ? "readable by script"
              : "not readable by script (HttpOnly); usable by it while the page is open",
          );
        return measured(
          id === "strict"
            ? "readable by script (in memory) and usable anywhere, until revoked or exp"
            : "readable by script (in memory) and usable anywhere until exp",
        );
      }),
    },
  ];
  if (bench) {
    // Rendered on the server too: a fixed zone, or a reader far from UTC gets another date and a
    // hydration mismatch (React #418).
    const day = new Date(bench.measuredAt).toLocaleDateString("en-GB", { timeZone: "UTC" });
    const when = `${day} UTC${bench.machine ? `, ${bench.machine}` : ""}`;
    for (const gate of GATES) {
      const figures = bench.gates[gate];
      const mine = gate === lab.props.gate ? ", this page's gate" : "";
      if (!figures) {
        if (gate === "edge")
          rows.push({
            metric: `Load test through the Edge middleware (npm run bench, ${when})`,
            cells: each((id) => {
              const { rps, costMicros } = bench.mechanisms[id];
              if (rps === null) return waiting("not in that run (npm run bench measures it)");
              return measured(
                `${Math.round(rps)} req/s${costMicros === null ? "" : `, ${costMicros} µs above the baseline`}`,
              );
            }),
          });
        continue;
      }
      rows.push({
        metric: `Cost through the ${GATE_TITLES[gate]}${mine} (npm run bench, ${when})`,
        cells: each((id) => {
          const figure = figures[id];
          if (!figure) return waiting("not in that run (npm run bench measures it)");
          const above = figure.costMicros === null ? "" : `, ${figure.costMicros} µs above it`;
          return measured(`${figure.rps} req/s: ${Math.round(figure.vsPlain * 100)} % of the plain route${above}`);
        }),
      });
    }
  }
  const nameOf = (m: (typeof MECHANISMS)[number]) =>
    m.id === "bearer" ? `${m.name} (${GATE_TITLES[lab.props.gate]})` : m.name;

  return (
    <section
      aria-labelledby="comparison-heading"
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
      data-testid="decision-table"
    >
      <h2 id="comparison-heading" className="text-lg font-semibold">
        Which mechanism, measured
      </h2>
      <p className="text-sm text-slate-600">
        One request with each credential on page load fills the rows; the revocation race fills the first. This page was
        served through the {GATE_TITLES[lab.props.gate]} gate; the benchmark rows show both gates.
        {prepared ? ` Cookie-cached session: ${cacheLabel(prepared)}.` : ""}
      </p>
      <dl className="mt-3 divide-y divide-slate-100 lg:hidden">
        {rows.map((row) => (
          <div key={row.metric} className="py-2 text-sm">
            <dt className="font-medium text-slate-800">{row.metric}</dt>
            {MECHANISMS.map((m) => (
              <dd key={m.id} className={`mt-0.5 ${row.cells[m.id].measured ? "text-slate-900" : "text-slate-600"}`}>
                <span className="font-semibold">{nameOf(m)}: </span>
                {row.cells[m.id].value}
              </dd>
            ))}
          </div>
        ))}
      </dl>
      <div className="mt-3 hidden overflow-x-auto lg:block">
        <table className="min-w-full text-left text-sm" data-testid="comparison-table">
          <caption className="sr-only">Four ways to recognise a client, compared on measured values</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="py-2 pr-4">
                Measure
              </th>
              {MECHANISMS.map((m) => (
                <th key={m.id} scope="col" className="py-2 pr-4">
                  {nameOf(m)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.metric} data-testid="comparison-row">
                <th scope="row" className="py-2 pr-4 align-top font-medium text-slate-800">
                  {row.metric}
                </th>
                {MECHANISMS.map((m) => (
                  <td
                    key={m.id}
                    className={`py-2 pr-4 align-top ${row.cells[m.id].measured ? "text-slate-900" : "text-slate-600"}`}
                    data-measured={row.cells[m.id].measured}
                    data-mechanism={m.id}
                  >
                    {row.cells[m.id].value}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
