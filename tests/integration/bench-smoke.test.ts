/**
 * Keeps `npm run bench` working: one quick pass (1 s per target, one round) writing its JSON to a
 * temporary file. It checks the shape and that nothing failed, not the numbers — those depend on the
 * machine and belong to bench/README.md, not to a test.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/app-server";

const dir = mkdtempSync(path.join(tmpdir(), "authlab-bench-smoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The benchmark builds its own SQLite database; the PostgreSQL pass of the suite has nothing to add.
describe.skipIf(process.env.TEST_DATABASE === "postgresql")("npm run bench", () => {
  it("measures every target and writes results.json with ratios and microseconds", () => {
    const out = path.join(dir, "results.json");
    const run = spawnSync(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["--conditions=react-server", "bench/run.ts", "--quick", "--out", out],
      { cwd: ROOT, encoding: "utf8", timeout: 240_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const results = JSON.parse(readFileSync(out, "utf8"));
    const names = results.targets.map((t: { name: string }) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "health",
        "noop-middleware",
        "jwt-me",
        "jwt-dpop",
        "session-database",
        "session-memory",
        "login",
      ]),
    );
    for (const target of results.targets) {
      expect(target.requestsPerSecond, target.name).toBeGreaterThan(0);
      expect(target.errors, target.name).toBe(0);
      expect(target.latencyMs.p50).toBeGreaterThanOrEqual(0);
    }
    expect(results.ratios.jwtVsNoopMiddleware).toBeGreaterThan(0);
    expect(results.ratios.jwtDpopVsNoopMiddleware).toBeGreaterThan(0);
    expect(results.ratios.sessionVsBaseline).toBeGreaterThan(0);
    for (const key of [
      "jwtVerify",
      "dpopProofVerify",
      "rawEs256Verify",
      "jsonwebtokenVerify",
      "ironUnseal",
      "authjsJweDecode",
    ])
      expect(results.microseconds[key], key).toBeGreaterThan(0);
    expect(results.goals.map((g: { name: string }) => g.name)).toHaveLength(7);
    expect(run.stdout).toMatch(/goals/);
  }, 300_000);
});
