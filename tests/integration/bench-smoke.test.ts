/**
 * Keeps `npm run bench` working: one quick pass (1 s per target, one round) writing its JSON and its
 * charts to a temporary directory. It checks the shape, that nothing failed, and that every figure is
 * within bounds no working benchmark leaves (a rate of zero, a ratio of a hundred, a p50 longer than the
 * run) — not the numbers themselves, which depend on the machine and belong to bench/README.md.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTool } from "../helpers/run-tool";
import { BENCHMARK_CHARTS, PLACEHOLDER_MARK } from "@/lib/server/lab/benchmark-charts";
import { GATE_MECHANISMS, targetName } from "@/bench/lib/gates";
import { GATES } from "@/scripts/server/gate.mjs";
import { TEST_GATE } from "../helpers/gate";

const dir = mkdtempSync(path.join(tmpdir(), "authlab-bench-smoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The benchmark builds its own SQLite database and measures both gates' builds whichever is selected:
// the PostgreSQL pass and the proxy pass of the suite have nothing to add.
describe.skipIf(process.env.TEST_DATABASE === "postgresql" || TEST_GATE === "proxy")("npm run bench", () => {
  it("measures every target and writes results.json with ratios and microseconds", async () => {
    const out = path.join(dir, "results.json");
    const run = await runTool("bench/run.ts", ["--quick", "--out", out], 240_000);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const results = JSON.parse(readFileSync(out, "utf8"));
    const names = results.targets.map((t: { name: string }) => t.name);
    // Both gates' builds, whichever AUTHLAB_GATE selects; the rest on the selected gate's build.
    const compared = GATE_MECHANISMS.flatMap(({ base }) => GATES.map((gate) => targetName(base, gate)));
    const selectedOnly = ["jwt-me-cold", "session-cold", "session-memory"].map((base) => targetName(base, TEST_GATE));
    expect(names).toEqual(expect.arrayContaining([...compared, ...selectedOnly, "login"]));
    expect(results.run.gate).toBe(TEST_GATE);
    for (const gate of GATES)
      for (const { id } of GATE_MECHANISMS) {
        const figure = results.gates[gate][id];
        expect(figure.requestsPerSecond, `${gate} ${id}`).toBeGreaterThan(0);
        // A gate cannot make a route faster than no gate by much; a figure far outside means a broken pairing.
        expect(figure.vsPlain, `${gate} ${id}`).toBeGreaterThan(0.05);
        expect(figure.vsPlain, `${gate} ${id}`).toBeLessThan(2);
      }
    for (const target of results.targets) {
      // At least a few requests in its one second, each answered within the run, none refused.
      expect(target.requestsPerSecond, target.name).toBeGreaterThan(2);
      expect(target.errors, target.name).toBe(0);
      expect(target.latencyMs.p50, target.name).toBeGreaterThan(0);
      expect(target.latencyMs.p50, target.name).toBeLessThanOrEqual(target.latencyMs.p99);
      expect(target.latencyMs.p99, target.name).toBeLessThan(30_000);
    }
    for (const [name, ratio] of Object.entries(results.ratios as Record<string, number>))
      // A throughput ratio of two routes on one machine: never zero, never many times over.
      expect(Number.isFinite(ratio) && ratio > 0.02 && ratio < 5, `${name} = ${ratio}`).toBe(true);
    for (const ratio of ["noopProxyVsPlain", "jwtProxyVsPlain", "jwtProxyVsJwtEdge", "dpopProxyVsPlain"])
      expect(results.ratios, ratio).toHaveProperty(ratio);
    for (const key of [
      "jwtVerify",
      "dpopProofVerify",
      "rawEs256Verify",
      "jsonwebtokenVerify",
      "ironUnseal",
      "authjsJweDecode",
    ])
      // Microseconds per check: more than nothing, less than a tenth of a second.
      expect(results.microseconds[key] > 0.1 && results.microseconds[key] < 100_000, `${key}`).toBe(true);
    expect(results.loginStorm.map((l: { concurrency: number }) => l.concurrency)).toEqual([1, 2, 4, 8]);
    for (const level of results.loginStorm) {
      expect(level.errors).toBe(0);
      expect(level.healthSamples).toBeGreaterThan(0);
    }
    // A level lasts two seconds here; on a busy machine a sign-in at 8 in flight can take longer than that.
    expect(results.loginStorm.reduce((sum: number, l: { logins: number }) => sum + l.logins, 0)).toBeGreaterThan(0);
    const raced = results.revocation.filter((r: { measured: boolean }) => r.measured);
    expect(raced.map((r: { mechanism: string }) => r.mechanism)).toEqual(["store session", "strict JWT"]);
    // Per-mechanism check cost: every one of the four has its load target in this run.
    expect(results.revocation.map((r: { mechanism: string }) => r.mechanism)).toEqual([
      "store session",
      "cookie-cached session",
      "bearer JWT at the Edge",
      "strict JWT",
    ]);
    for (const r of results.revocation) expect(r.costMicros, r.mechanism).not.toBeNull();
    expect(results.goals.map((g: { target: string }) => g.target)).toEqual(
      expect.arrayContaining([
        "jwtDpopVsNoopMiddleware ≥ 0.80",
        "jwtColdVsNoopMiddleware ≥ 0.75",
        "sessionColdVsBaseline ≥ 0.65",
        "healthP99Ms < 50",
        "noopProxyVsPlain ≥ 0.85",
        "jwtProxyVsPlain ≥ 0.80",
        "dpopProxyVsPlain ≥ 0.70",
      ]),
    );
    // Every chart is drawn; only the growth runs' (growth, and the cluster's failover) say they have no data yet.
    for (const { name } of BENCHMARK_CHARTS) {
      const svg = readFileSync(path.join(dir, "charts", `${name}.svg`), "utf8");
      expect(svg.startsWith(PLACEHOLDER_MARK), name).toBe(name === "growth" || name === "cluster-failover");
      expect(svg.replace(`${PLACEHOLDER_MARK}\n`, ""), name).toMatch(/^<svg /);
    }
    expect(run.stdout).toMatch(/goals/);
  }, 300_000);
});
