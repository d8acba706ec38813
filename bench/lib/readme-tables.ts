/**
 * The Markdown tables the READMEs show between their `bench:` markers, written from results.json so
 * that a new run updates every figure at once (publish.ts puts them in place).
 */
export interface TableInput {
  measuredAt?: string;
  machine?: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  targets?: { name: string; description: string; requestsPerSecond: number; latencyMs: { p50: number; p99: number } }[];
  goals?: { name: string; target: string; actual: number; met: boolean }[];
  loginStorm?: {
    concurrency: number;
    loginsPerSecond: number;
    latencyMs: { p50: number; p99: number };
    shed: number;
    errors: number;
    healthP99Ms: number;
  }[];
  revocation?: { mechanism: string; latencyMs: number | null; measured: boolean; costMicros: number | null }[];
  /** Per gate, per mechanism (bench/lib/gates.ts). */
  gates?: Record<
    string,
    Record<string, { target: string; requestsPerSecond: number; vsPlain: number; costMicros: number | null }>
  >;
  growth?: {
    store: string;
    sessions: number;
    checkP50Micros: number;
    checkP99Micros: number;
    httpP50Micros: number | null;
    httpP99Micros: number | null;
    bytesPerSession: number | null;
    bytesMethod: string;
  }[];
  strictGrowth?: {
    database: string;
    families: number;
    checkP50Micros: number;
    checkP99Micros: number;
    httpP50Micros: number | null;
  }[];
  sweep?: {
    store: string;
    sessions: number;
    expired: number;
    sweepMs: number;
    deleted: number;
    checkP99BeforeMicros: number;
    checkP99DuringMicros: number;
    maxEventLoopDelayMs: number;
    eventLoopDelayP99Ms?: number;
  }[];
  growthRun?: {
    measuredAt: string;
    machine?: TableInput["machine"];
    maxSessions: number;
    durationSeconds?: number;
    goals: { name: string; actual: number; met: boolean }[];
  };
  /** A `--growth --stores redis-cluster` run. */
  redisCluster?: {
    run: NonNullable<TableInput["growthRun"]>;
    growth: NonNullable<TableInput["growth"]>;
    sweep?: NonNullable<TableInput["sweep"]>[number];
    failover: {
      nodeTimeoutMs: number;
      recoverSeconds: number | null;
      writtenLastSecond: number;
      lostLastSecond: number;
    } | null;
  };
}

const table = (header: string[], rows: (string | number)[][]) =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const number = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined || !Number.isFinite(value)
    ? "—"
    : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const notYet = (how: string) => `_Not measured yet: ${how}._`;

function machine(input: TableInput, at: string | undefined, m = input.machine): string {
  const where = m ? `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}` : "machine unknown";
  return `Measured ${at ? at.slice(0, 16).replace("T", " ") + " UTC" : "at an unknown time"} on ${where}.`;
}

function duration(ms: number): string {
  if (ms < 1000) return `${number(ms, ms < 10 ? 1 : 0)} ms`;
  if (ms < 120_000) return `${number(ms / 1000, 1)} s`;
  return `${number(ms / 60_000, 0)} min`;
}

/** The gate table's rows: bench/lib/gates.ts's mechanisms, in its order. */
const GATE_TABLE_ROWS = [
  ["plain", "plain route (`GET /api/health`, no gate)"],
  ["noop", "no-op gate (`GET /api/noop`)"],
  ["bearer", "bearer JWT (`GET /api/me`)"],
  ["dpop", "DPoP JWT (`GET /api/me` with a proof)"],
  ["strict", "strict JWT (`GET /api/me/strict`)"],
  ["store", "store session (`GET /api/session`)"],
  ["cached", "cookie-cached session"],
] as const;

export function readmeTables(input: TableInput): Record<string, string> {
  const tables: Record<string, string> = {};

  tables.targets = input.targets?.length
    ? `${table(
        ["target", "req/s", "p50 ms", "p99 ms", "what"],
        input.targets.map((t) => [
          `\`${t.name}\``,
          number(t.requestsPerSecond),
          number(t.latencyMs.p50),
          number(t.latencyMs.p99),
          t.description,
        ]),
      )}\n\n${machine(input, input.measuredAt)}`
    : notYet("run `npm run bench`");

  const gateRows = GATE_TABLE_ROWS.filter(([id]) => input.gates?.edge?.[id] || input.gates?.proxy?.[id]);
  tables.gates = gateRows.length
    ? `${table(
        ["mechanism", "Edge middleware build", "Node proxy build", "proxy ÷ Edge"],
        gateRows.map(([id, label]) => {
          const edge = input.gates?.edge?.[id];
          const proxy = input.gates?.proxy?.[id];
          const cell = (f: typeof edge) =>
            f
              ? `${number(f.requestsPerSecond)} req/s (${number(f.vsPlain * 100)} % of plain${id === "plain" ? "" : `, +${number(f.costMicros)} µs`})`
              : "—";
          const ratio = edge && proxy ? number(proxy.requestsPerSecond / edge.requestsPerSecond, 2) : "—";
          return [label, cell(edge), cell(proxy), ratio];
        }),
      )}\n\n${machine(input, input.measuredAt)}`
    : notYet("run `npm run bench`");

  tables.goals = input.goals?.length
    ? `${table(
        ["goal", "target", "result", "met"],
        input.goals.map((g) => [g.name, `\`${g.target}\``, `**${g.actual}**`, g.met ? "✓" : "✗ (see below)"]),
      )}\n\n${machine(input, input.measuredAt)}`
    : notYet("run `npm run bench`");

  tables.storm = input.loginStorm?.length
    ? table(
        ["sign-ins in flight", "sign-ins/s", "p50 ms", "p99 ms", "shed (503)", "errors", "`/api/health` p99 ms"],
        input.loginStorm.map((l) => [
          l.concurrency,
          number(l.loginsPerSecond, 1),
          number(l.latencyMs.p50),
          number(l.latencyMs.p99),
          l.shed,
          l.errors,
          number(l.healthP99Ms, 1),
        ]),
      )
    : notYet("run `npm run bench`");

  tables.revocation = input.revocation?.length
    ? table(
        ["mechanism", "a revoked credential works for", "server µs per request above `/api/health`"],
        input.revocation.map((r) => [
          r.mechanism,
          r.latencyMs === null
            ? "not raced here"
            : r.measured
              ? `${duration(r.latencyMs)} (measured)`
              : `${duration(r.latencyMs)} (until the token expires)`,
          number(r.costMicros),
        ]),
      )
    : notYet("run `npm run bench`");

  const growthAt = input.growthRun?.measuredAt;
  tables.growth = input.growth?.length
    ? `${table(
        ["store", "sessions", "store read p50 / p99 µs", "`GET /api/session` p50 / p99 µs", "bytes per session"],
        input.growth.map((g) => [
          g.store,
          number(g.sessions),
          `${number(g.checkP50Micros, 1)} / ${number(g.checkP99Micros, 1)}`,
          g.httpP50Micros === null ? "—" : `${number(g.httpP50Micros)} / ${number(g.httpP99Micros)}`,
          g.bytesPerSession === null ? "—" : `${number(g.bytesPerSession)} (${g.bytesMethod})`,
        ]),
      )}\n\n${machine(input, growthAt, input.growthRun?.machine ?? input.machine)}${
        input.growthRun?.durationSeconds ? ` The run took ${duration(input.growthRun.durationSeconds * 1000)}.` : ""
      }`
    : notYet("run `npm run bench -- --growth`");

  tables["growth-goals"] = input.growthRun?.goals.length
    ? table(
        ["goal", "result", "met"],
        input.growthRun.goals.map((g) => [g.name, `**${g.actual}**`, g.met ? "✓" : "✗ (see below)"]),
      )
    : notYet("run `npm run bench -- --growth`");

  tables.strict = input.strictGrowth?.length
    ? table(
        [
          "database",
          "refresh families (half revoked) = denied `jti`s",
          "strict check p50 / p99 µs",
          "`GET /api/me/strict` p50 µs",
        ],
        input.strictGrowth.map((s) => [
          s.database,
          number(s.families),
          `${number(s.checkP50Micros)} / ${number(s.checkP99Micros)}`,
          number(s.httpP50Micros),
        ]),
      )
    : notYet("run `npm run bench -- --growth`");

  tables.sweep = input.sweep?.length
    ? table(
        ["store", "sessions", "expired", "sweep", "check p99 before / during µs", "event-loop delay p99 / max"],
        input.sweep.map((s) => [
          s.store,
          number(s.sessions),
          number(s.expired),
          duration(s.sweepMs),
          `${number(s.checkP99BeforeMicros)} / ${number(s.checkP99DuringMicros)}`,
          `${s.eventLoopDelayP99Ms === undefined ? "—" : duration(s.eventLoopDelayP99Ms)} / ${duration(s.maxEventLoopDelayMs)}`,
        ]),
      )
    : notYet("run `npm run bench -- --growth`");

  tables.cluster = input.redisCluster?.growth.length
    ? clusterTable(input, input.redisCluster)
    : notYet("run `npm run bench -- --growth --stores redis-cluster`");

  return tables;
}

function clusterTable(input: TableInput, cluster: NonNullable<TableInput["redisCluster"]>): string {
  const rows = table(
    ["sessions", "store read p50 / p99 µs", "`GET /api/session` p50 / p99 µs", "bytes per session"],
    cluster.growth.map((g) => [
      number(g.sessions),
      `${number(g.checkP50Micros, 1)} / ${number(g.checkP99Micros, 1)}`,
      g.httpP50Micros === null ? "—" : `${number(g.httpP50Micros)} / ${number(g.httpP99Micros)}`,
      g.bytesPerSession === null ? "—" : number(g.bytesPerSession),
    ]),
  );
  const goals = cluster.run.goals.map((g) => `${g.name}: **${g.actual}** ${g.met ? "✓" : "✗"}`).join("; ");
  const goalsLine = goals ? `${goals}.` : "";
  const sweep = cluster.sweep
    ? `Sweep of ${number(cluster.sweep.expired)} expired sessions: ${duration(cluster.sweep.sweepMs)}, event-loop delay max ${duration(cluster.sweep.maxEventLoopDelayMs)}.`
    : "";
  const failover = cluster.failover
    ? `Failover (node timeout ${duration(cluster.failover.nodeTimeoutMs)}): the shard answered again after **${
        cluster.failover.recoverSeconds === null ? "—" : `${cluster.failover.recoverSeconds} s`
      }**; **${number(cluster.failover.lostLastSecond)}** of ${number(cluster.failover.writtenLastSecond)} sessions written in the last second before the kill were lost.`
    : "";
  return [
    rows,
    [goalsLine, sweep, failover].filter(Boolean).join(" "),
    machine(input, cluster.run.measuredAt, cluster.run.machine ?? input.machine),
  ].join("\n\n");
}
