"use client";

import type { Lab } from "./use-lab";
import { MECHANISMS } from "./race-mechanisms";
import { cacheLabel } from "./race-wording";
import type { RevocationRace } from "./use-revocation-race";
import { GATE_TITLES } from "@/lib/edge/gate/name";
import { formatLocal } from "@/lib/ui/dates";
import { LocalTime } from "@/components/local-time";
import { decisionTable, type Cell, type Row } from "../decision-table";

interface CacheAnswer {
  source: string;
  snapshotTakenAt: string | null;
  storeLastSeenReachable: boolean | null;
}

/**
 * What this page's own latest GET /api/session said about the store: with the cookie cache, an answer
 * from the snapshot while this instance last saw the store unreachable (SECURITY.md, "Cookie cache"),
 * or a 503. Traces exist only in the browser, so the reader's own clock is safe here.
 */
function outageNow(lab: Lab): string | null {
  const latest = lab.traces.find((t) => /\/api\/session$/.test(t.url));
  if (!latest) return null;
  if (latest.error === "session_store_unavailable") return "now: this page's session check answered 503";
  const cache = (latest.body as { cache?: CacheAnswer } | null)?.cache;
  if (cache?.source !== "cookie-cache" || cache.storeLastSeenReachable !== false) return null;
  const taken = cache.snapshotTakenAt ? formatLocal(cache.snapshotTakenAt, "time") : "?";
  return `now: the store is unreachable, and this page's session answered from its snapshot (taken ${taken})`;
}

const PROVENANCE_TEXT: Record<Cell["provenance"]["kind"], string> = {
  measured: "measured in this page",
  bench: "from npm run bench",
  design: "by design, not measured here",
  pending: "not measured yet",
};

/** The row's name; a benchmark row says its run: the date in the reader's locale, and the machine. */
function Metric({ row }: { row: Row }) {
  if (!row.bench) return <>{row.metric}</>;
  return (
    <>
      {row.metric}
      {row.bench.thisPage ? ", this page's gate" : ""} (npm run bench,{" "}
      <LocalTime instant={row.bench.measuredAt} style="date" />
      {row.bench.machine ? `, ${row.bench.machine}` : ""})
    </>
  );
}

function cellClass(cell: Cell): string {
  return cell.provenance.kind === "pending"
    ? "text-slate-600"
    : cell.provenance.kind === "design"
      ? "text-slate-700"
      : "text-slate-900";
}

/**
 * The decision table (decision-table.ts builds its rows): the four mechanisms, each cell saying where
 * it came from — this page's own requests, the benchmark (with its date and machine), or the design.
 */
export function Comparison({ lab, race }: { lab: Lab; race: RevocationRace }) {
  const rows = decisionTable({
    gate: lab.props.gate,
    store: lab.props.session.store,
    probes: race.probes,
    cacheSeconds: race.prepared?.cacheSeconds ?? null,
    race: race.result,
    exposure: race.exposure,
    restart: lab.measurements.restart,
    peer: lab.measurements.peer,
    outageNow: outageNow(lab),
    bench: lab.props.benchmark,
  });
  const nameOf = (m: (typeof MECHANISMS)[number]) =>
    m.id === "bearer" ? `${m.name} (${GATE_TITLES[lab.props.gate]})` : m.name;
  const cellAttributes = (cell: Cell, mechanism: string) => ({
    "data-measured": cell.provenance.kind === "measured",
    "data-provenance": cell.provenance.kind,
    "data-mechanism": mechanism,
    title: PROVENANCE_TEXT[cell.provenance.kind],
  });

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
        One request with each credential on page load fills the rows; the revocation race fills the first. Dark text was
        measured in this page (or by the benchmark, as its row says); grey is what the design says, or not measured yet.
        This page was served through the {GATE_TITLES[lab.props.gate]} gate; the benchmark rows show both gates.
        {race.prepared ? ` Cookie-cached session: ${cacheLabel(race.prepared)}.` : ""}
      </p>
      <dl className="mt-3 divide-y divide-slate-100 lg:hidden">
        {rows.map((row) => (
          <div key={row.id} className="py-2 text-sm">
            <dt className="font-medium text-slate-800">
              <Metric row={row} />
            </dt>
            {MECHANISMS.map((m) => (
              <dd
                key={m.id}
                className={`mt-0.5 ${cellClass(row.cells[m.id])}`}
                {...cellAttributes(row.cells[m.id], m.id)}
              >
                <span className="font-semibold">{nameOf(m)}: </span>
                {row.cells[m.id].text}
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
              <tr key={row.id} data-testid="comparison-row" data-row={row.id}>
                <th scope="row" className="py-2 pr-4 align-top font-medium text-slate-800">
                  <Metric row={row} />
                </th>
                {MECHANISMS.map((m) => (
                  <td
                    key={m.id}
                    className={`py-2 pr-4 align-top ${cellClass(row.cells[m.id])}`}
                    {...cellAttributes(row.cells[m.id], m.id)}
                  >
                    {row.cells[m.id].text}
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
