/**
 * `npm run soak` on a short timeline (30 s, all three faults): it must find nothing lost and no
 * unexpected status, and write its JSON. The tool starts its own Redis, database and two instances,
 * on the database this pass of the suite uses.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KIND } from "../helpers/app-server";
import { runTool } from "../helpers/run-tool";
import { requireBinary } from "../helpers/system";

const dir = mkdtempSync(path.join(tmpdir(), "authlab-soak-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(requireBinary("redis-server", "apt-get install redis-server"))("npm run soak (short timeline)", () => {
  it("survives kill -9, a Redis outage and a SIGTERM restart with nothing lost", async () => {
    const out = path.join(dir, "soak.json");
    const run = await runTool(
      "scripts/soak.ts",
      ["--duration", "30", "--concurrency", "4", "--database", TEST_DATABASE_KIND, "--out", out],
      240_000,
    );
    if (run.status !== 0) console.error(run.stdout, run.stderr);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/nothing lost, no unexpected status/);

    const results = JSON.parse(readFileSync(out, "utf8"));
    expect(results.verdict).toEqual({ ok: true, problems: [] });
    expect(results.options).toMatchObject({ durationSeconds: 30, concurrency: 4, database: TEST_DATABASE_KIND });
    expect(results.phases.map((p: { phase: string }) => p.phase)).toEqual([
      "1 steady",
      "2 kill -9 a",
      "3 steady",
      "4 redis down",
      "5 steady",
      "6 SIGTERM b",
      "7 steady",
    ]);
    for (const phase of results.phases) {
      expect(Object.keys(phase.flows)).toEqual([
        "signup",
        "signin",
        "session",
        "me",
        "refresh",
        "signout",
        "wrong-password",
      ]);
      for (const stats of Object.values(phase.flows) as { unexpected: number; status5xx: number }[]) {
        expect(stats.unexpected).toBe(0);
        expect(stats.status5xx).toBe(0);
      }
    }
    expect(results.restarts.map((r: { how: string }) => r.how)).toEqual(["kill -9", "SIGTERM"]);
    for (const restart of results.restarts) expect(restart.withinTarget).toBe(true);
    expect(results.restarts[1].drain.exitCode).toBe(0);
    expect(results.verification.accounts.failed).toBe(0);
    expect(results.verification.accounts.checked).toBeGreaterThan(0);
    expect(results.verification.signOuts.alive).toBe(0);
    expect(results.verification.liveSessions.lost).toBe(0);
    expect(results.redisOutage.lost).toBe(0);
  }, 300_000);
});
