/**
 * The latest `npm run bench` results, if any, for the dashboard's comparison table.
 */
import "server-only";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { BenchmarkSummary, DecisionMechanism, GateCost } from "@/lib/server/lab/dashboard-types";
import type { GateName } from "@/lib/edge/gate/name";

/** results.json's `gates` section names the bearer JWT `bearer`, as the decision table does (bench/lib/gates.ts). */
const DECISION_MECHANISMS: readonly DecisionMechanism[] = ["store", "cached", "bearer", "strict"];

interface GateFigure {
  requestsPerSecond?: number;
  vsPlain?: number;
  costMicros?: number | null;
}

function gateCosts(figures: Record<string, GateFigure> | undefined): Record<DecisionMechanism, GateCost | null> | null {
  if (!figures) return null;
  const cost = (figure: GateFigure | undefined): GateCost | null =>
    typeof figure?.requestsPerSecond === "number" && typeof figure.vsPlain === "number"
      ? { rps: figure.requestsPerSecond, vsPlain: figure.vsPlain, costMicros: figure.costMicros ?? null }
      : null;
  return Object.fromEntries(DECISION_MECHANISMS.map((id) => [id, cost(figures[id])])) as Record<
    DecisionMechanism,
    GateCost | null
  >;
}

export function latestBenchmark(): BenchmarkSummary | null {
  // A literal path under the project, so the bundler traces one file, not the whole directory.
  const file = path.join(process.cwd(), "bench", "results.json");
  if (!existsSync(file)) return null;
  try {
    const results = JSON.parse(readFileSync(file, "utf8"));
    const rps = (name: string): number | null =>
      results.targets?.find((t: { name: string }) => t.name === name)?.requestsPerSecond ?? null;
    const cost = (target: string): number | null =>
      results.revocation?.find((r: { target: string }) => r.target === target)?.costMicros ?? null;
    const mechanism = (target: string) => ({ rps: rps(target), costMicros: cost(target) });
    return {
      measuredAt: results.measuredAt ?? "",
      machine: results.machine ? `${results.machine.cpus} × ${results.machine.cpuModel}` : null,
      // The targets bench/lib/revocation.ts names for the four mechanisms.
      mechanisms: {
        store: mechanism("session-database"),
        cached: mechanism("session-cached"),
        bearer: mechanism("jwt-me"),
        strict: mechanism("jwt-strict"),
      },
      gates: Object.fromEntries(
        (["edge", "proxy"] as const).map((gate) => [gate, gateCosts(results.gates?.[gate])]),
      ) as Record<GateName, ReturnType<typeof gateCosts>>,
      jwtRps: rps("jwt-me"),
      sessionRps: rps("session-database"),
      jwtVerifyMicros: results.microseconds?.jwtVerify ?? null,
      sessionCheckMicros: results.microseconds?.ironUnseal ?? null,
    };
  } catch {
    return null;
  }
}
