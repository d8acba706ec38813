/**
 * A default `npm run bench` rewrites bench/results.json but keeps what the growth runs recorded: their
 * figures take many minutes and a default run measures none of them.
 */
import { describe, expect, it } from "vitest";
import { keptGrowthSections } from "@/bench/lib/publish";

describe("a default bench run's results file", () => {
  it("keeps every growth run's section, the Redis Cluster's growth and failover included", () => {
    const recorded = {
      ratios: { sessionVsBaseline: 0.9 },
      targets: [],
      growth: [{ store: "sqlite" }],
      strictGrowth: [{ database: "sqlite" }],
      sweep: [{ store: "sqlite" }],
      growthRun: { sizes: [1000] },
      redisCluster: { failover: { recoverSeconds: 3 } },
    };
    expect(keptGrowthSections(recorded)).toEqual({
      growth: recorded.growth,
      strictGrowth: recorded.strictGrowth,
      sweep: recorded.sweep,
      growthRun: recorded.growthRun,
      redisCluster: recorded.redisCluster,
    });
  });

  it("adds nothing a growth run never wrote", () => {
    expect(keptGrowthSections({ ratios: {} })).toEqual({});
  });
});
