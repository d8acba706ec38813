/**
 * The benchmark's pictures: SVG files drawn with Vega-Lite from bench/results.json, headless (Vega's
 * "none" renderer needs no canvas or browser). One spec per chart; a chart whose data a run has not
 * produced yet says so and how to produce it, so the READMEs and the dashboard never show a broken
 * image. The names are lib/server/lab/benchmark-charts.ts's list, which the dashboard serves from.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { BENCHMARK_CHARTS, PLACEHOLDER_MARK, type BenchmarkChartName } from "@/lib/server/lab/benchmark-charts";

const WIDTH = 560;
const GOAL_COLOR = "#c0392b";
const COLORS = { baseline: "#94a3b8", jwt: "#7c3aed", session: "#0d9488", login: "#d97706" } as const;
const STORE_COLORS = { memory: "#64748b", sqlite: "#0d9488", postgresql: "#2563eb", redis: "#dc2626" } as const;
const CLUSTER_COLOR = "#9333ea";
const OUTCOME_COLORS = { "200": "#16a34a", "503": "#dc2626", other: "#94a3b8" } as const;

/** What the charts read from results.json; every section may be missing (a run that did not make it). */
export interface ChartInput {
  measuredAt?: string;
  machine?: { cpus: number; cpuModel: string };
  targets?: { name: string; requestsPerSecond: number }[];
  ratios?: Record<string, number>;
  goals?: { target: string }[];
  growth?: {
    store: string;
    sessions: number;
    checkP50Micros: number;
    checkP99Micros: number;
    httpP50Micros?: number | null;
    httpP99Micros?: number | null;
  }[];
  strictGrowth?: { database: string; families: number; checkP50Micros: number; checkP99Micros: number }[];
  growthRun?: { measuredAt: string; machine?: { cpus: number; cpuModel: string } };
  /** A `--growth --stores redis-cluster` run: its own section, beside the single-server ones. */
  redisCluster?: {
    run: { measuredAt: string; machine?: { cpus: number; cpuModel: string } };
    growth: NonNullable<ChartInput["growth"]>;
    failover: {
      nodeTimeoutMs: number;
      sessions: number;
      recoverSeconds: number | null;
      writtenLastSecond: number;
      lostLastSecond: number;
      timeline: { t: number; shard: string; status: number }[];
    } | null;
  };
  loginStorm?: { concurrency: number; loginsPerSecond: number; healthP99Ms: number; shed: number }[];
  revocation?: { mechanism: string; latencyMs: number | null; measured: boolean; costMicros: number | null }[];
  gates?: Record<string, Record<string, { vsPlain: number; requestsPerSecond: number }>>;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function subtitle(measuredAt: string | undefined, machine: ChartInput["machine"]): string {
  const when = measuredAt ? measuredAt.slice(0, 10) : "date unknown";
  return machine ? `${when} · ${machine.cpus} × ${machine.cpuModel}` : when;
}

const base = (title: string, sub: string) =>
  ({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle: sub, anchor: "start", fontSize: 14, subtitleColor: "#475569" },
    background: "white",
    padding: 12,
    config: {
      font: "sans-serif",
      axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
      legend: { labelLimit: 360, labelFontSize: 11 },
      view: { stroke: null },
    },
  }) as const;

/** Specs drawn for want of data; their files start with PLACEHOLDER_MARK. */
const placeholders = new WeakSet<object>();

/** A chart with nothing to show yet: the title and how to fill it. */
function placeholder(title: string, how: string): TopLevelSpec {
  const spec: TopLevelSpec = {
    ...base(title, "not measured yet"),
    width: WIDTH,
    height: 60,
    data: { values: [{ text: how }] },
    mark: { type: "text", align: "left", x: 0, y: 30, fontSize: 13, color: "#475569" },
    encoding: { text: { field: "text", type: "nominal" } },
  };
  placeholders.add(spec);
  return spec;
}

function kindOf(target: string): keyof typeof COLORS {
  if (target.startsWith("jwt")) return "jwt";
  if (target.startsWith("session")) return "session";
  if (target === "login") return "login";
  return "baseline";
}

function throughput(input: ChartInput): TopLevelSpec {
  const title = "Requests per second by target";
  if (!input.targets?.length) return placeholder(title, "Run npm run bench to measure the targets.");
  const values = input.targets.map((t) => ({
    target: t.name,
    rps: Math.round(t.requestsPerSecond),
    kind: kindOf(t.name),
  }));
  return {
    ...base(
      title,
      `${subtitle(input.measuredAt, input.machine)} · median of interleaved rounds, 10 connections (login: 2)`,
    ),
    width: WIDTH,
    data: { values },
    encoding: {
      y: { field: "target", type: "nominal", sort: null, title: null },
      x: { field: "rps", type: "quantitative", title: "requests per second" },
    },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.7 } },
        encoding: {
          color: {
            field: "kind",
            type: "nominal",
            title: null,
            scale: { domain: Object.keys(COLORS), range: Object.values(COLORS) },
            legend: { orient: "bottom" },
          },
        },
      },
      { mark: { type: "text", align: "left", dx: 4, fontSize: 11 }, encoding: { text: { field: "rps" } } },
    ],
  };
}

/** "jwtVsNoopMiddleware ≥ 0.90" → the ratio's goal. */
function ratioGoals(goals: ChartInput["goals"]): Map<string, number> {
  const found = new Map<string, number>();
  for (const goal of goals ?? []) {
    const match = /^(\w+) ≥ ([\d.]+)$/.exec(goal.target);
    if (match) found.set(match[1]!, Number(match[2]));
  }
  return found;
}

function ratios(input: ChartInput): TopLevelSpec {
  const title = "Each flow against its floor, with its goal";
  const entries = Object.entries(input.ratios ?? {}).filter(([, value]) => Number.isFinite(value));
  if (entries.length === 0) return placeholder(title, "Run npm run bench to measure the ratios.");
  const goals = ratioGoals(input.goals);
  const values = entries.map(([ratio, value]) => ({
    ratio,
    value,
    goal: goals.get(ratio) ?? null,
    status: !goals.has(ratio) ? "informational" : value >= goals.get(ratio)! ? "goal met" : "goal missed",
  }));
  return {
    ...base(title, `${subtitle(input.measuredAt, input.machine)} · median of per-round ratios · red tick: the goal`),
    width: WIDTH,
    data: { values },
    encoding: { y: { field: "ratio", type: "nominal", sort: null, title: null } },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.7 } },
        encoding: {
          x: { field: "value", type: "quantitative", title: "throughput ratio (1 = as fast as its floor)" },
          color: {
            field: "status",
            type: "nominal",
            title: null,
            scale: { domain: ["goal met", "goal missed", "informational"], range: ["#0d9488", "#f59e0b", "#cbd5e1"] },
            legend: { orient: "bottom" },
          },
        },
      },
      {
        transform: [{ filter: "datum.goal != null" }],
        mark: { type: "tick", color: GOAL_COLOR, thickness: 3, bandSize: 18 },
        encoding: { x: { field: "goal", type: "quantitative" } },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
        encoding: { x: { field: "value", type: "quantitative" }, text: { field: "value", format: ".2f" } },
      },
    ],
  };
}

const GATE_COLORS = { "Edge middleware": "#7c3aed", "Node proxy": "#0d9488" } as const;
/** The mechanisms in the order the chart lists them, and the proxy build's goals (bench/run.ts). */
const GATE_ROWS = [
  { id: "noop", label: "no-op gate", goal: 0.85 },
  { id: "bearer", label: "bearer JWT", goal: 0.8 },
  { id: "dpop", label: "DPoP JWT", goal: 0.7 },
  { id: "strict", label: "strict JWT", goal: null },
  { id: "store", label: "store session", goal: null },
  { id: "cached", label: "cookie-cached session", goal: null },
] as const;

function gates(input: ChartInput): TopLevelSpec {
  const title = "Where the check runs: Edge middleware and Node proxy";
  const values = GATE_ROWS.flatMap(({ id, label, goal }) =>
    (["edge", "proxy"] as const).flatMap((gate) => {
      const figure = input.gates?.[gate]?.[id];
      if (!figure || !Number.isFinite(figure.vsPlain)) return [];
      const build = gate === "edge" ? "Edge middleware" : "Node proxy";
      return [
        {
          mechanism: label,
          build,
          value: figure.vsPlain,
          rps: figure.requestsPerSecond,
          goal: gate === "proxy" ? goal : null,
        },
      ];
    }),
  );
  if (values.length === 0) return placeholder(title, "Run npm run bench to measure both gates.");
  return {
    ...base(
      title,
      `${subtitle(input.measuredAt, input.machine)} · throughput ÷ the same build's plain route · red tick: the proxy's goal`,
    ),
    width: WIDTH,
    data: { values },
    encoding: {
      y: { field: "mechanism", type: "nominal", sort: GATE_ROWS.map((r) => r.label), title: null },
      yOffset: { field: "build", type: "nominal", sort: Object.keys(GATE_COLORS) },
    },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.9 } },
        encoding: {
          x: { field: "value", type: "quantitative", title: "throughput ratio (1 = as fast as the plain route)" },
          color: {
            field: "build",
            type: "nominal",
            title: null,
            scale: { domain: Object.keys(GATE_COLORS), range: Object.values(GATE_COLORS) },
            legend: { orient: "bottom" },
          },
        },
      },
      {
        transform: [{ filter: "datum.goal != null" }],
        mark: { type: "tick", color: GOAL_COLOR, thickness: 3, bandSize: 10 },
        encoding: { x: { field: "goal", type: "quantitative" } },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
        encoding: {
          x: { field: "value", type: "quantitative" },
          text: { field: "label" },
        },
        transform: [{ calculate: "format(datum.value, '.2f') + ' · ' + datum.rps + ' req/s'", as: "label" }],
      },
    ],
  };
}

const GROWTH_PANELS = [
  "store read, in-process",
  "GET /api/session, over HTTP",
  "strict JWT check, in-process (families = denied jtis)",
] as const;

function growth(input: ChartInput): TopLevelSpec {
  const title = "Session check time against store size";
  if (!input.growth?.length && !input.redisCluster?.growth.length)
    return placeholder(title, "Run npm run bench -- --growth to fill the stores.");
  type Point = { panel: string; series: string; stat: string; sessions: number; micros: number };
  const points: Point[] = [];
  const add = (panel: string, series: string, sessions: number, p50?: number | null, p99?: number | null) => {
    if (p50 != null && p50 > 0) points.push({ panel, series, stat: "p50", sessions, micros: p50 });
    if (p99 != null && p99 > 0) points.push({ panel, series, stat: "p99", sessions, micros: p99 });
  };
  const [inProcess, overHttp, strict] = GROWTH_PANELS;
  // The cluster's rows, when a run measured it, beside the single-server stores.
  const clusterRows = input.redisCluster?.growth ?? [];
  for (const row of [...(input.growth ?? []), ...clusterRows]) {
    add(inProcess, row.store, row.sessions, row.checkP50Micros, row.checkP99Micros);
    add(overHttp, row.store, row.sessions, row.httpP50Micros, row.httpP99Micros);
  }
  for (const row of input.strictGrowth ?? [])
    add(strict, row.database, row.families, row.checkP50Micros, row.checkP99Micros);
  return {
    ...base(
      title,
      `${subtitle(input.growthRun?.measuredAt, input.growthRun?.machine ?? input.machine)} · µs per check, log scales`,
    ),
    data: { values: points },
    facet: { column: { field: "panel", type: "nominal", title: null, sort: [...GROWTH_PANELS] } },
    spec: {
      width: 240,
      height: 220,
      encoding: {
        x: { field: "sessions", type: "quantitative", scale: { type: "log" }, title: "records in the store" },
        y: { field: "micros", type: "quantitative", scale: { type: "log" }, title: "µs per check" },
        color: {
          field: "series",
          type: "nominal",
          title: null,
          scale: {
            domain: [...Object.keys(STORE_COLORS), ...(clusterRows.length > 0 ? ["redis-cluster"] : [])],
            range: [...Object.values(STORE_COLORS), ...(clusterRows.length > 0 ? [CLUSTER_COLOR] : [])],
          },
          legend: { orient: "bottom" },
        },
        detail: { field: "stat" },
      },
      layer: [
        {
          mark: { type: "line" },
          encoding: {
            strokeDash: {
              field: "stat",
              type: "nominal",
              title: null,
              scale: {
                domain: ["p50", "p99"],
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
              legend: { orient: "bottom", symbolType: "stroke" },
            },
          },
        },
        { mark: { type: "point", filled: true, size: 30 } },
      ],
    },
    resolve: { scale: { y: "independent" } },
  };
}

function clusterFailover(input: ChartInput): TopLevelSpec {
  const title = "A Redis Cluster shard loses its primary: session checks per shard";
  const run = input.redisCluster;
  const failover = run?.failover;
  if (!run || !failover?.timeline.length)
    return placeholder(title, "Run npm run bench -- --growth --stores redis-cluster to measure a failover.");
  const outcome = (status: number) => (status === 200 ? "200" : status === 503 ? "503" : "other");
  const values = failover.timeline.map((c) => ({ t: c.t, shard: c.shard, outcome: outcome(c.status) }));
  const marks = [
    { t: 0, label: "primary killed (SIGKILL)" },
    ...(failover.recoverSeconds === null
      ? []
      : [{ t: failover.recoverSeconds, label: `answers again: ${failover.recoverSeconds} s` }]),
  ];
  const summary =
    `${failover.sessions.toLocaleString("en-US")} sessions · cluster-node-timeout ${failover.nodeTimeoutMs / 1000} s · ` +
    `lost ${failover.lostLastSecond} of ${failover.writtenLastSecond} sessions written in the last second`;
  return {
    ...base(title, `${subtitle(run.run.measuredAt, run.run.machine ?? input.machine)} · ${summary}`),
    width: WIDTH,
    height: 120,
    layer: [
      {
        data: { values },
        mark: { type: "tick", thickness: 2, size: 22 },
        encoding: {
          x: { field: "t", type: "quantitative", title: "seconds since the kill" },
          y: { field: "shard", type: "nominal", title: null, sort: ["killed shard", "other shards"] },
          color: {
            field: "outcome",
            type: "nominal",
            title: "GET /api/session",
            scale: { domain: Object.keys(OUTCOME_COLORS), range: Object.values(OUTCOME_COLORS) },
            legend: { orient: "bottom" },
          },
        },
      },
      {
        data: { values: marks },
        mark: { type: "rule", color: "#475569", strokeDash: [4, 3] },
        encoding: { x: { field: "t", type: "quantitative" } },
      },
      {
        data: { values: marks },
        mark: { type: "text", align: "left", dx: 4, y: -6, fontSize: 11, color: "#475569" },
        encoding: { x: { field: "t", type: "quantitative" }, text: { field: "label" } },
      },
    ],
  };
}

const HEALTH_GOAL_MS = 50;

function loginStorm(input: ChartInput): TopLevelSpec {
  const title = "Login storm: sign-ins per second and /api/health p99";
  if (!input.loginStorm?.length) return placeholder(title, "Run npm run bench to measure the login storm.");
  const values = input.loginStorm.map((level) => ({
    concurrency: String(level.concurrency),
    logins: level.loginsPerSecond,
    label: level.shed > 0 ? `${level.loginsPerSecond}/s · ${level.shed} shed` : `${level.loginsPerSecond}/s`,
    health: level.healthP99Ms,
  }));
  const x = {
    field: "concurrency",
    type: "ordinal",
    sort: null,
    title: "sign-ins in flight",
    axis: { labelAngle: 0 },
  } as const;
  return {
    ...base(title, `${subtitle(input.measuredAt, input.machine)} · argon2id m=19 MiB, t=2, p=1 on libuv's thread pool`),
    data: { values },
    hconcat: [
      {
        width: 240,
        height: 200,
        layer: [
          {
            mark: { type: "bar", color: COLORS.login },
            encoding: { x, y: { field: "logins", type: "quantitative", title: "sign-ins per second" } },
          },
          {
            mark: { type: "text", dy: -6, fontSize: 11 },
            encoding: { x, y: { field: "logins", type: "quantitative" }, text: { field: "label" } },
          },
        ],
      },
      {
        width: 240,
        height: 200,
        layer: [
          {
            mark: { type: "line", point: true, color: "#334155" },
            encoding: {
              x,
              y: { field: "health", type: "quantitative", title: "/api/health p99 (ms) during the storm" },
            },
          },
          {
            mark: { type: "rule", color: GOAL_COLOR, strokeDash: [6, 4], size: 2 },
            encoding: { y: { datum: HEALTH_GOAL_MS } },
          },
          {
            mark: { type: "text", align: "left", dx: 4, dy: -6, color: GOAL_COLOR, fontSize: 11 },
            encoding: { y: { datum: HEALTH_GOAL_MS }, x: { value: 0 }, text: { value: `goal < ${HEALTH_GOAL_MS} ms` } },
          },
        ],
      },
    ],
  };
}

const MEASURED = "measured by the revocation race";
const BOUND = "bound: accepted until the token expires";

function revocation(input: ChartInput): TopLevelSpec {
  const title = "Revocation latency against per-request cost";
  const values = (input.revocation ?? [])
    .filter((r) => r.latencyMs !== null && r.costMicros !== null)
    .map((r) => ({
      mechanism: r.mechanism,
      cost: Math.max(0, r.costMicros!),
      // A log scale cannot show zero; anything under a millisecond is drawn at one.
      seconds: Math.max(0.001, r.latencyMs! / 1000),
      how: r.measured ? MEASURED : BOUND,
    }));
  if (values.length === 0) return placeholder(title, "Run npm run bench to race the revocations.");
  return {
    ...base(title, `${subtitle(input.measuredAt, input.machine)} · cost = server µs per request above GET /api/health`),
    width: WIDTH,
    height: 260,
    data: { values },
    encoding: {
      x: {
        field: "cost",
        type: "quantitative",
        scale: { zero: true, nice: true },
        title: "server time per request above the baseline (µs)",
      },
      y: {
        field: "seconds",
        type: "quantitative",
        scale: { type: "log", domain: [0.001, 1000] },
        axis: {
          values: [0.001, 0.01, 0.1, 1, 10, 60, 900],
          labelExpr:
            "datum.value < 1 ? datum.value * 1000 + ' ms' : datum.value < 60 ? datum.value + ' s' : datum.value / 60 + ' min'",
        },
        title: "how long a revoked credential keeps working",
      },
    },
    layer: [
      {
        mark: { type: "point", size: 90, strokeWidth: 2 },
        encoding: {
          shape: {
            field: "how",
            type: "nominal",
            title: null,
            scale: { domain: [MEASURED, BOUND], range: ["circle", "square"] },
            legend: { orient: "bottom", direction: "vertical", labelLimit: 420 },
          },
          color: {
            field: "how",
            type: "nominal",
            title: null,
            scale: { domain: [MEASURED, BOUND], range: ["#0d9488", GOAL_COLOR] },
          },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 8, dy: -8, fontSize: 11 },
        encoding: { text: { field: "mechanism" } },
      },
    ],
  };
}

const SPECS: Record<BenchmarkChartName, (input: ChartInput) => TopLevelSpec> = {
  throughput,
  ratios,
  gates,
  growth,
  "cluster-failover": clusterFailover,
  "login-storm": loginStorm,
  revocation,
};

/** Writes every chart into `dir` (created if needed); returns the files written. */
export async function writeCharts(input: ChartInput, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const { name } of BENCHMARK_CHARTS) {
    const file = path.join(dir, `${name}.svg`);
    const spec = SPECS[name](input);
    const svg = await renderSvg(spec);
    writeFileSync(file, placeholders.has(spec) ? `${PLACEHOLDER_MARK}\n${svg}\n` : `${svg}\n`);
    written.push(file);
  }
  return written;
}
