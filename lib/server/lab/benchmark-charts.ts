/**
 * The charts `npm run bench` draws (bench/charts/*.svg), for the dashboard and the route that serves
 * them. Only these names are ever read, so a request cannot name any other file.
 */
import "server-only";
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import path from "node:path";

export const BENCHMARK_CHARTS = [
  {
    name: "throughput",
    title: "Requests per second by target",
    alt: "Bar chart of requests per second for each benchmark target, from the baseline route to the cold paths.",
  },
  {
    name: "ratios",
    title: "Each flow against its floor, with its goal",
    alt: "Bar chart of throughput ratios (JWT and session routes against their floors) with the goal of each marked.",
  },
  {
    name: "gates",
    title: "Where the check runs: Edge middleware and Node proxy",
    alt: "Grouped bar chart: for each mechanism (no-op gate, bearer JWT, DPoP JWT, strict JWT, store session, cookie-cached session), throughput as a fraction of the plain route through the Edge middleware build and through the Node proxy build, with the proxy goals marked.",
  },
  {
    name: "growth",
    title: "Session check time against store size",
    alt: "Line chart of session check time (p50 and p99, microseconds) against the number of stored sessions, per store.",
  },
  {
    name: "cluster-failover",
    title: "A Redis Cluster shard loses its primary: session checks per shard",
    alt: "Timeline of session checks after a shard's primary was killed: checks on that shard answer 503 until its replica is promoted, then 200; checks on the other shards answer 200 throughout. The subtitle gives the seconds to recover and the sessions lost of those written in the last second before the kill.",
  },
  {
    name: "login-storm",
    title: "Login storm: sign-ins per second and /api/health p99",
    alt: "Sign-ins per second at concurrency 1, 2, 4 and 8, beside the p99 latency of /api/health during each, with the 50 ms goal.",
  },
  {
    name: "revocation",
    title: "Revocation latency against per-request cost",
    alt: "Scatter chart: for each mechanism, how long a revoked credential keeps working against what a request costs the server.",
  },
] as const;

export type BenchmarkChartName = (typeof BENCHMARK_CHARTS)[number]["name"];

/** The first line of a chart the runs had no data for (the READMEs show it; the dashboard leaves it out). */
export const PLACEHOLDER_MARK = "<!-- authlab: not measured yet -->";

export interface AvailableChart {
  name: BenchmarkChartName;
  title: string;
  alt: string;
  /** Where the browser fetches it; the query changes when the file does, so a new run is never cached away. */
  src: string;
}

function chartPath(name: BenchmarkChartName): string {
  // A literal directory under the project, joined with a name from the list above only.
  return path.join(process.cwd(), "bench", "charts", `${name}.svg`);
}

function isPlaceholder(file: string): boolean {
  const head = Buffer.alloc(PLACEHOLDER_MARK.length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString("utf8") === PLACEHOLDER_MARK;
}

/** The charts the latest runs drew from data, in display order. */
export function availableBenchmarkCharts(): AvailableChart[] {
  return BENCHMARK_CHARTS.flatMap((chart) => {
    const file = chartPath(chart.name);
    if (!existsSync(file) || isPlaceholder(file)) return [];
    const version = Math.round(statSync(file).mtimeMs).toString(36);
    return [{ ...chart, src: `/bench-charts/${chart.name}.svg?v=${version}` }];
  });
}

/** The SVG text of `<name>.svg` when it is one of ours and exists; null otherwise. */
export function readBenchmarkChart(fileName: string): string | null {
  const chart = BENCHMARK_CHARTS.find((c) => `${c.name}.svg` === fileName);
  if (!chart) return null;
  const file = chartPath(chart.name);
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}
