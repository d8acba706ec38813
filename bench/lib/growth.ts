/**
 * `npm run bench -- --growth`: every session store filled to 10^3, 10^5 and 10^6 sessions, and what
 * a check costs at each size. One worker process per store (bench/growth-worker.ts) on the measuring
 * CPU, each with its own scratch database (and its own redis-server for the Redis store) and its own
 * server on the servers' CPU. Takes far longer than the default run, mostly filling (bench/README.md
 * says how long), and prints progress as it goes.
 *
 * Goal: at the largest size, a check's p50 within 1.5× of its p50 at 10^3, for every persistent store.
 *
 * `--stores redis-cluster` (never part of the default set: it starts six redis-servers) fills a real
 * Redis Cluster the same way, then kills one shard's primary and measures the failover
 * (bench/lib/failover.ts). Its figures go to their own section of the results file, `redisCluster`,
 * so a cluster run leaves the single-server sections as they were, and a default run leaves it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build, buildIsCurrent } from "@/scripts/lib/build";
import { generatePrismaClients } from "@/scripts/lib/generate";
import { binaryExists, startRedisServer, type RedisProcess } from "@/scripts/lib/redis-processes";
import { startRedisCluster, type RedisCluster } from "@/scripts/lib/redis-cluster";
import {
  createScratchDatabase,
  generateMetricsToken,
  generateSecrets,
  postgresReachable,
  type ScratchDatabase,
} from "@/scripts/lib/scratch";
import {
  GROWTH_IDLE_TIMEOUT_SECONDS,
  type GrowthRow,
  type GrowthStore,
  type StrictGrowthRow,
  type SweepRow,
  type WorkerOutput,
  type WorkerSpec,
} from "./growth-spec";
import { MEASURING_CPU, machine, pinning } from "./cpu";
import { publishResults, readResults } from "./publish";

const DEFAULT_STORES: readonly GrowthStore[] = ["memory", "sqlite", "postgresql", "redis"];
const STORES: readonly GrowthStore[] = [...DEFAULT_STORES, "redis-cluster"];
const PERSISTENT: readonly GrowthStore[] = ["sqlite", "postgresql", "redis", "redis-cluster"];
const STEPS = [1_000, 100_000, 1_000_000];
const GOAL_FACTOR = 1.5;

/** 10^3, 10^5, 10^6, cut at `max` (which is always measured). */
export function growthSizes(max: number): number[] {
  return [...new Set([...STEPS.filter((n) => n < max), max])];
}

/** The growth sections of the recorded results file. */
interface PreviousGrowth {
  growth: GrowthRow[];
  strictGrowth: StrictGrowthRow[];
  sweep: SweepRow[];
  growthRun: { sizes: number[] };
}

function runWorker(root: string, spec: WorkerSpec, env: NodeJS.ProcessEnv, pinned: boolean): Promise<void> {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const specFile = `${spec.resultFile}.spec.json`;
  writeFileSync(specFile, JSON.stringify(spec));
  const command = [tsx, "--conditions=react-server", path.join("bench", "growth-worker.ts"), specFile];
  const [file, ...args] = pinned ? ["taskset", "-c", String(MEASURING_CPU), ...command] : command;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`the ${spec.store} growth worker failed (${code ?? signal})`)),
    );
  });
}

function goals(rows: WorkerOutput["rows"], sizes: number[]) {
  const smallest = sizes[0]!;
  const largest = sizes.at(-1)!;
  const at = (store: string, sessions: number) => rows.find((r) => r.store === store && r.sessions === sessions);
  return PERSISTENT.flatMap((store) => {
    const small = at(store, smallest);
    const large = at(store, largest);
    if (!small || !large || smallest === largest) return [];
    const measures = [
      { what: "store read", small: small.checkP50Micros, large: large.checkP50Micros },
      { what: "GET /api/session", small: small.httpP50Micros, large: large.httpP50Micros },
    ];
    return measures.flatMap(({ what, small: a, large: b }) => {
      if (a === null || b === null) return [];
      const actual = Number((b / a).toFixed(2));
      return [
        {
          name: `${store}: ${what} p50 at ${largest.toLocaleString("en-US")} sessions within ${GOAL_FACTOR}× of ${smallest.toLocaleString("en-US")}`,
          target: `p50(${largest}) / p50(${smallest}) ≤ ${GOAL_FACTOR}`,
          actual,
          met: actual <= GOAL_FACTOR,
        },
      ];
    });
  });
}

export async function runGrowth(options: {
  root: string;
  out: string;
  maxSessions: number;
  stores?: string[];
  log: (line: string) => void;
}): Promise<void> {
  const { root, log } = options;
  if (!Number.isInteger(options.maxSessions) || options.maxSessions < 1000)
    throw new Error("--max-sessions must be a whole number of at least 1000");
  const unknown = options.stores?.filter((s) => !STORES.includes(s as GrowthStore)) ?? [];
  if (unknown.length) throw new Error(`unknown store(s) ${unknown.join(", ")}; choose from ${STORES.join(", ")}`);
  const wanted = (options.stores as GrowthStore[] | undefined) ?? [...DEFAULT_STORES];
  const sizes = growthSizes(options.maxSessions);

  generatePrismaClients(root);
  if (!buildIsCurrent(root)) build(root);
  const { serverCpu } = pinning();
  const stores: GrowthStore[] = [];
  for (const store of wanted) {
    if (store === "redis" && !binaryExists("redis-server")) log("redis-server not available: Redis is not measured");
    else if (store === "redis-cluster" && !(binaryExists("redis-server") && binaryExists("redis-cli")))
      log("redis-server or redis-cli not available: the Redis Cluster is not measured");
    else if (store === "postgresql" && !(await postgresReachable()))
      log("no PostgreSQL server at POSTGRES_ADMIN_URL: PostgreSQL is not measured");
    else stores.push(store);
  }
  log(
    `growth: ${stores.join(", ")} to ${sizes.map((n) => n.toLocaleString("en-US")).join(" → ")} sessions; ` +
      "this takes a while (bench/README.md says how long), progress follows",
  );

  const started = Date.now();
  // A production server needs its metrics scrape token to start (lib/server/observability/metrics-required.ts).
  const secrets = { ...(await generateSecrets()), METRICS_TOKEN: generateMetricsToken() };
  const work = mkdtempSync(path.join(os.tmpdir(), "authlab-growth-"));
  const outputs: WorkerOutput[] = [];
  try {
    for (const store of stores) {
      const database: ScratchDatabase = await createScratchDatabase(
        root,
        store === "postgresql" ? "postgresql" : "sqlite",
      );
      let redis: RedisProcess | null = null;
      let cluster: RedisCluster | null = null;
      try {
        if (store === "redis") {
          const dir = path.join(work, "redis");
          mkdirSync(dir, { recursive: true });
          redis = await startRedisServer({ dir });
        }
        if (store === "redis-cluster") {
          log("starting a Redis Cluster: six redis-servers, three primaries with a replica each");
          cluster = await startRedisCluster({ dir: path.join(work, "redis-cluster") });
        }
        const spec: WorkerSpec = {
          store,
          sizes,
          tag: randomBytes(4).toString("hex"),
          resultFile: path.join(work, `${store}.json`),
          serverCpu,
        };
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          ...secrets,
          NODE_ENV: "production",
          AUTHLAB_ENV: "production",
          DATABASE_URL: database.url,
          SESSION_STORE:
            store === "sqlite" || store === "postgresql" ? "database" : store === "memory" ? "memory" : "redis",
          REDIS_URL: redis?.url ?? "",
          REDIS_CLUSTER_NODES: cluster?.seeds ?? "",
          SESSION_IDLE_TIMEOUT_SECONDS: String(GROWTH_IDLE_TIMEOUT_SECONDS),
          INSTANCE_ID: `growth-${store}`,
        };
        await runWorker(root, spec, env, serverCpu !== undefined);
        outputs.push(JSON.parse(readFileSync(spec.resultFile, "utf8")) as WorkerOutput);
      } finally {
        await redis?.stop();
        await cluster?.stop();
        await database.dispose();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const single = outputs.filter((o) => o.rows[0]?.store !== "redis-cluster");
  const clustered = outputs.find((o) => o.rows[0]?.store === "redis-cluster");
  const run = (rows: WorkerOutput["rows"], measured: GrowthStore[]) => ({
    measuredAt: new Date().toISOString(),
    machine: machine(),
    maxSessions: options.maxSessions,
    sizes,
    stores: measured,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    goals: goals(rows, sizes),
  });
  // A run of some stores replaces those stores' rows and keeps the others' from the recorded run, at
  // the same sizes only (a row measured at other sizes would not be comparable).
  const recorded = readResults(options.out) ?? {};
  const previous = recorded as Partial<PreviousGrowth>;
  const measured: string[] = stores.filter((s) => s !== "redis-cluster");
  const sameSizes = JSON.stringify(previous.growthRun?.sizes) === JSON.stringify(sizes);
  const kept = <T>(old: T[] | undefined, storeOf: (row: T) => string) =>
    sameSizes ? (old ?? []).filter((row) => !measured.includes(storeOf(row))) : [];
  const rows = [...kept(previous.growth, (r) => r.store), ...single.flatMap((o) => o.rows)];
  const keptStores = [...new Set(kept(previous.growth, (r) => r.store).map((r) => r.store))];
  const growthRun = run(rows, [...keptStores, ...stores.filter((s) => s !== "redis-cluster")]);
  const results = {
    ...recorded,
    ...(single.length > 0
      ? {
          growth: rows,
          strictGrowth: [...kept(previous.strictGrowth, (r) => r.database), ...single.flatMap((o) => o.strictRows)],
          sweep: [...kept(previous.sweep, (r) => r.store), ...single.map((o) => o.sweep)],
          growthRun,
        }
      : {}),
    ...(clustered
      ? {
          redisCluster: {
            run: run(clustered.rows, ["redis-cluster"]),
            growth: clustered.rows,
            sweep: clustered.sweep,
            failover: clustered.failover ?? null,
          },
        }
      : {}),
  };
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${path.relative(root, options.out) || options.out} after ${growthRun.durationSeconds} s`);
  const allGoals = [...(single.length > 0 ? growthRun.goals : []), ...(clustered ? goals(clustered.rows, sizes) : [])];
  for (const goal of allGoals) log(`${goal.met ? "✓" : "✗"} ${goal.name}: ${goal.actual}`);
  const failover = clustered?.failover;
  if (failover)
    log(
      `failover: recovered in ${failover.recoverSeconds ?? "—"} s; lost ${failover.lostLastSecond} of ${failover.writtenLastSecond} sessions written in the last second`,
    );
  await publishResults(root, options.out, results, log);
}
