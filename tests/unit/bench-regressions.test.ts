/** A new benchmark run names every ratio that fell by more than the noise margin against the run it replaces. */
import { describe, expect, it } from "vitest";
import { regressions } from "@/bench/lib/regressions";

describe("benchmark regressions", () => {
  it("names a ratio that fell by more than the margin, and only that one", () => {
    const before = { jwtVsNoopMiddleware: 0.95, sessionVsBaseline: 0.85, noopProxyVsPlain: 0.7 };
    const after = { jwtVsNoopMiddleware: 0.88, sessionVsBaseline: 0.81, noopProxyVsPlain: 0.9, newRatio: 0.5 };
    expect(regressions(before, after)).toEqual([{ ratio: "jwtVsNoopMiddleware", before: 0.95, after: 0.88 }]);
  });

  it("a first run, or a ratio that is not a number, is no regression", () => {
    expect(regressions(undefined, { a: 0.1 })).toEqual([]);
    expect(regressions({ a: 0.9 }, { a: NaN })).toEqual([]);
  });
});
