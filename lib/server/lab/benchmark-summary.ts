/**
 * The latest `npm run bench` results, if any, for the dashboard's comparison table.
 */
import "server-only";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { BenchmarkSummary } from "@/lib/server/lab/dashboard-types";

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
        edge: mechanism("jwt-me"),
        strict: mechanism("jwt-strict"),
      },
      jwtRps: rps("jwt-me"),
      sessionRps: rps("session-database"),
      jwtVerifyMicros: results.microseconds?.jwtVerify ?? null,
      sessionCheckMicros: results.microseconds?.ironUnseal ?? null,
    };
  } catch {
    return null;
  }
}
