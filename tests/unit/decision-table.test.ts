/**
 * The decision table's cells say where they came from: a request this page made (`measured`), the
 * benchmark with its date and machine (`bench`), the design (`design`) or nothing yet (`pending`). A
 * fixed sentence is never labelled as measured.
 */
import { describe, expect, it } from "vitest";
import { decisionTable, type Row, type TableInput } from "@/app/dashboard/decision-table";
import type { BenchmarkSummary } from "@/lib/server/lab/dashboard-types";

const probe = (storeLookups: number) => ({
  status: 200,
  storeLookups,
  checkMs: 0.4,
  steps: "unseal + store",
  bytes: 300,
  source: null,
});

const base: TableInput = {
  gate: "edge",
  store: "database",
  probes: {},
  cacheSeconds: null,
  race: null,
  exposure: null,
  outageNow: null,
  bench: null,
};

const loaded: TableInput = {
  ...base,
  probes: { store: probe(1), cached: probe(0), bearer: probe(0), strict: probe(2) },
  cacheSeconds: 5,
  exposure: { cookiesReadable: false },
};

const row = (rows: Row[], id: string) => rows.find((r) => r.id === id)!;
const kinds = (r: Row) => Object.values(r.cells).map((c) => c.provenance.kind);

const bench: BenchmarkSummary = {
  measuredAt: "2026-12-07T10:00:00.000Z",
  machine: "2 × AMD EPYC",
  jwtRps: 500,
  sessionRps: 900,
  jwtVerifyMicros: 120,
  sessionCheckMicros: 33,
  mechanisms: {
    store: { rps: 900, costMicros: 100 },
    cached: { rps: 950, costMicros: 50 },
    bearer: { rps: 500, costMicros: 700 },
    strict: { rps: 300, costMicros: 2000 },
  },
  gates: {
    edge: {
      store: { rps: 900, vsPlain: 0.9, costMicros: 100 },
      cached: { rps: 950, vsPlain: 0.95, costMicros: 50 },
      bearer: { rps: 500, vsPlain: 0.5, costMicros: 700 },
      strict: { rps: 300, vsPlain: 0.3, costMicros: 2000 },
    },
    proxy: {
      store: { rps: 880, vsPlain: 0.88, costMicros: 110 },
      cached: { rps: 940, vsPlain: 0.94, costMicros: 55 },
      bearer: { rps: 650, vsPlain: 0.65, costMicros: 450 },
      strict: null,
    },
  },
};

describe("the decision table", () => {
  it("before the page-load requests answer, nothing is measured yet", () => {
    const rows = decisionTable(base);
    for (const id of ["lookups", "check-time", "bytes", "revocation", "restart"])
      expect(kinds(row(rows, id)), id).toEqual(["pending", "pending", "pending", "pending"]);
  });

  it("what the page's own requests answered is measured; what the design says is labelled as design", () => {
    const rows = decisionTable(loaded);
    expect(kinds(row(rows, "lookups"))).toEqual(["measured", "measured", "measured", "measured"]);
    expect(row(rows, "lookups").cells.store.text).toBe("1");
    // No experiment asked another instance: what the design says, never "measured".
    expect(kinds(row(rows, "instances"))).toEqual(["design", "design", "design", "design"]);
    // The browser attaching the cookie was measured; a token never travelling by itself is the design.
    expect(row(rows, "csrf").cells.store.provenance.kind).toBe("measured");
    expect(row(rows, "csrf").cells.bearer.provenance.kind).toBe("design");
    expect(row(rows, "outage").cells.bearer).toEqual({
      text: "yes: no store on the path",
      provenance: { kind: "measured" },
    });
  });

  it("another instance's answers make the cross-instance cells measured", () => {
    const peer = {
      origin: "http://localhost:3001",
      sessionStatus: 200,
      jwtStatus: 200,
      sessionInstance: "b",
      jwtInstance: "b",
    };
    const cells = row(decisionTable({ ...loaded, peer }), "instances").cells;
    expect(cells.store).toEqual({ text: "yes (b)", provenance: { kind: "measured" } });
    expect(cells.bearer.provenance.kind).toBe("measured");
    expect(cells.strict.provenance.kind).toBe("design");
  });

  it("the benchmark gives one row per gate, each naming its run, this page's gate marked", () => {
    const rows = decisionTable({ ...loaded, gate: "proxy", bench });
    const edge = row(rows, "bench-edge");
    const proxy = row(rows, "bench-proxy");
    expect(edge.bench).toEqual({ measuredAt: bench.measuredAt, machine: bench.machine, gate: "edge", thisPage: false });
    expect(proxy.bench?.thisPage).toBe(true);
    expect(edge.cells.bearer).toEqual({
      text: "500 req/s: 50 % of the plain route, 700 µs above it",
      provenance: { kind: "bench", measuredAt: bench.measuredAt, machine: bench.machine },
    });
    // A mechanism the run did not measure through a gate says so, and is not a benchmark figure.
    expect(proxy.cells.strict.provenance.kind).toBe("pending");
  });

  it("a run from before the gate comparison still shows its Edge figures, and no proxy row", () => {
    const old = { ...bench, gates: { edge: null, proxy: null } };
    const rows = decisionTable({ ...loaded, bench: old });
    expect(row(rows, "bench-edge").cells.store.text).toBe("900 req/s, 100 µs above the baseline");
    expect(rows.some((r) => r.id === "bench-proxy")).toBe(false);
  });
});
