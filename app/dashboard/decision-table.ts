/**
 * The decision table's rows, as data: four ways of recognising a client, and for each measure a cell
 * that says where it came from — `measured` by a request this page made (on load, by the race or by an
 * experiment), `bench` (the latest `npm run bench`, with its date and machine), `design` (what the
 * mechanism is, not something this page can measure), or `pending` (not measured yet, and how to).
 * A fixed sentence is never labelled as measured. The component (components/comparison.tsx) only
 * renders; tests/unit/decision-table.test.ts holds the rules.
 */
import type { GateName } from "@/lib/edge/gate/name";
import type { BenchmarkSummary } from "@/lib/server/lab/dashboard-types";
import { MECHANISMS, type MechanismId, type MechanismProbe, type RaceResult } from "./components/race-mechanisms";
import { outcomeText } from "./components/race-wording";

export type Provenance =
  | { kind: "measured" }
  | { kind: "bench"; measuredAt: string; machine: string | null }
  | { kind: "design" }
  | { kind: "pending" };

export interface Cell {
  text: string;
  provenance: Provenance;
}

export interface Row {
  id: string;
  metric: string;
  /** For a benchmark row: the run it comes from (the component writes its date in the reader's locale). */
  bench?: { measuredAt: string; machine: string | null; gate: GateName; thisPage: boolean };
  cells: Record<MechanismId, Cell>;
}

/** What the page knows when it draws the table. */
export interface TableInput {
  gate: GateName;
  store: string;
  probes: Partial<Record<MechanismId, MechanismProbe>>;
  /** The race session's cookie-cache window (seconds), once the page-load race session exists. */
  cacheSeconds: number | null;
  race: RaceResult | null;
  exposure: { cookiesReadable: boolean } | null;
  restart?: { store: string; mode?: "process" | "simulated"; sessionStatus: number; jwtStatus: number };
  peer?: {
    origin: string;
    sessionStatus: number;
    jwtStatus: number;
    sessionInstance: string | null;
    jwtInstance: string | null;
  };
  /** What this page's latest session check said about an outage, in words (null: nothing to say). */
  outageNow: string | null;
  bench: BenchmarkSummary | null;
}

const measured = (text: string): Cell => ({ text, provenance: { kind: "measured" } });
const design = (text: string): Cell => ({ text, provenance: { kind: "design" } });
const pending = (text: string): Cell => ({ text, provenance: { kind: "pending" } });
const each = (fn: (id: MechanismId) => Cell): Record<MechanismId, Cell> =>
  Object.fromEntries(MECHANISMS.map((m) => [m.id, fn(m.id)])) as Record<MechanismId, Cell>;
const isCookie = (id: MechanismId) => id === "store" || id === "cached";

/** A probe's cell, or "measuring…" while the page-load requests are still out. */
function fromProbe(probe: MechanismProbe | undefined, fn: (p: MechanismProbe) => string): Cell {
  return probe ? measured(fn(probe)) : pending("measuring…");
}

function revocationRow(input: TableInput): Row {
  const { race } = input;
  return {
    id: "revocation",
    metric: "Revocation latency (revoked from another browser)",
    cells: each((id) =>
      race ? measured(outcomeText(id, race.outcomes[id], race)) : pending("run the revocation race"),
    ),
  };
}

function lookupsRow({ probes, cacheSeconds }: TableInput): Row {
  const window = cacheSeconds === null ? "its window" : `${cacheSeconds} s`;
  return {
    id: "lookups",
    metric: "Store lookups per request",
    cells: each((id) =>
      fromProbe(probes[id], (p) =>
        id === "cached" && p.source === "cookie-cache"
          ? `${p.storeLookups ?? "?"} (snapshot trusted; 1 lookup and a re-seal once it is ${window} old)`
          : String(p.storeLookups ?? "?"),
      ),
    ),
  };
}

function checkTimeRow({ probes }: TableInput): Row {
  return {
    id: "check-time",
    metric: "Check time on the server, through this page's gate (Server-Timing)",
    cells: each((id) => fromProbe(probes[id], (p) => `${p.checkMs.toFixed(2)} ms (${p.steps})`)),
  };
}

function outageRow({ probes, cacheSeconds, outageNow }: TableInput): Row {
  const window = cacheSeconds === null ? "its window" : `${cacheSeconds} s`;
  return {
    id: "outage",
    metric: "Survives a store outage",
    cells: each((id) => {
      const probe = probes[id];
      if (!probe) return pending("measuring…");
      if (id === "bearer" && probe.storeLookups === 0) return measured("yes: no store on the path");
      if (id === "cached")
        return outageNow
          ? measured(`for ${window}: the snapshot answers; then 503 until the store returns — ${outageNow}`)
          : design(`for ${window}: the snapshot answers; then 503 until the store returns`);
      return measured(`no: ${probe.storeLookups} lookup(s) per request, 503 while the store is down`);
    }),
  };
}

function instancesRow({ peer, store }: TableInput): Row {
  return {
    id: "instances",
    metric: "Works across instances",
    cells: each((id) => {
      // The "another instance" experiment (npm run cluster) measures the store session and the JWT.
      if (peer && (id === "store" || id === "bearer")) {
        const status = id === "store" ? peer.sessionStatus : peer.jwtStatus;
        const instance = (id === "store" ? peer.sessionInstance : peer.jwtInstance) ?? peer.origin;
        return measured(status === 200 ? `yes (${instance})` : `no (${status} from ${peer.origin})`);
      }
      if (id === "bearer") return design("yes: any instance with the public keys (JWKS)");
      if (id === "strict") return design("yes, with the shared database (revocations live there)");
      const sealed = id === "cached" ? "; the snapshot opens wherever SESSION_PASSWORD does" : "";
      return design(
        store !== "memory"
          ? `yes (${store} store is shared)${sealed}`
          : `no: the memory store lives in one process${sealed}`,
      );
    }),
  };
}

function restartRow({ restart }: TableInput): Row {
  return {
    id: "restart",
    metric: "Survives a restart",
    cells: each((id) => {
      if (!restart) return pending("run Restart");
      if (id === "cached" || id === "strict") return pending("Restart asks the store session and the bearer JWT");
      const status = isCookie(id) ? restart.sessionStatus : restart.jwtStatus;
      if (!isCookie(id)) return measured(status === 200 ? "yes" : "no");
      const how = restart.mode === "process" ? "a real" : "a simulated";
      return measured(
        status === 200
          ? `yes (${restart.store} store${restart.mode === "process" ? ", real restart" : ""})`
          : `no (${restart.store} store: 401 after ${how} restart)`,
      );
    }),
  };
}

function bytesRow({ probes }: TableInput): Row {
  return {
    id: "bytes",
    metric: "Credential bytes per request",
    cells: each((id) =>
      fromProbe(probes[id], (p) => `${p.bytes} B (${isCookie(id) ? "Cookie" : "Authorization: Bearer"})`),
    ),
  };
}

function csrfRow({ probes, exposure }: TableInput): Row {
  return {
    id: "csrf",
    metric: "CSRF exposure",
    cells: each((id) => {
      if (!exposure) return pending("measuring…");
      if (isCookie(id))
        return measured(
          probes[id]?.status === 200
            ? "sent by the browser on its own (this page attached nothing): SameSite=Lax + Origin check on every state change"
            : "not sent",
        );
      // Fetch never adds an Authorization header of its own accord: only code that holds the token can.
      return design("none: the browser never attaches Authorization by itself; page code must add it");
    }),
  };
}

function xssRow({ exposure }: TableInput): Row {
  return {
    id: "xss",
    metric: "XSS exposure",
    cells: each((id) => {
      if (!exposure) return pending("measuring…");
      if (isCookie(id))
        return measured(
          exposure.cookiesReadable
            ? "readable by script"
            : "not readable by script (HttpOnly); usable by it while the page is open",
        );
      return design(
        id === "strict"
          ? "readable by script (in memory) and usable anywhere, until revoked or exp"
          : "readable by script (in memory) and usable anywhere until exp",
      );
    }),
  };
}

const GATE_NAMES: Record<GateName, string> = { edge: "Edge middleware", proxy: "Node proxy" };

/** Each mechanism's cost through each gate's build, from one benchmark run. */
function benchRows({ bench, gate: served }: TableInput): Row[] {
  if (!bench) return [];
  const source = { kind: "bench" as const, measuredAt: bench.measuredAt, machine: bench.machine };
  return (["edge", "proxy"] as const).flatMap((gate): Row[] => {
    const figures = bench.gates[gate];
    const meta = { measuredAt: bench.measuredAt, machine: bench.machine, gate, thisPage: gate === served };
    if (!figures) {
      // A run from before the gate comparison: its figures are the Edge build's.
      if (gate !== "edge") return [];
      return [
        {
          id: "bench-edge",
          metric: "Load test through the Edge middleware",
          bench: meta,
          cells: each((id) => {
            const { rps, costMicros } = bench.mechanisms[id];
            if (rps === null) return pending("not in that run (npm run bench measures it)");
            const above = costMicros === null ? "" : `, ${costMicros} µs above the baseline`;
            return { text: `${Math.round(rps)} req/s${above}`, provenance: source };
          }),
        },
      ];
    }
    return [
      {
        id: `bench-${gate}`,
        metric: `Cost through the ${GATE_NAMES[gate]}`,
        bench: meta,
        cells: each((id) => {
          const figure = figures[id];
          if (!figure) return pending("not in that run (npm run bench measures it)");
          const above = figure.costMicros === null ? "" : `, ${figure.costMicros} µs above it`;
          return {
            text: `${figure.rps} req/s: ${Math.round(figure.vsPlain * 100)} % of the plain route${above}`,
            provenance: source,
          };
        }),
      },
    ];
  });
}

export function decisionTable(input: TableInput): Row[] {
  return [
    revocationRow(input),
    lookupsRow(input),
    checkTimeRow(input),
    outageRow(input),
    instancesRow(input),
    restartRow(input),
    bytesRow(input),
    csrfRow(input),
    xssRow(input),
    ...benchRows(input),
  ];
}
