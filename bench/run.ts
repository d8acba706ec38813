/**
 * `npm run bench`: what each flow costs, measured in one run.
 *
 * Builds for production if needed, starts one server per session store on free loopback ports (and
 * its own redis-server when one is installed), drives each target with autocannon for a fixed
 * duration, interleaved across rounds, then measures per-check costs in microseconds beside the raw
 * crypto floor and two peers. Prints a table and writes bench/results.json. Nothing here is a test:
 * numbers depend on the machine; bench/README.md says what they mean and what was done about them.
 *
 * Options: --duration <s> (2) --rounds <n> (8) --warmup <s> (3) --quick (1 s, 1 round) --out <file>
 *          --no-redis
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { build, buildIsCurrent } from "@/scripts/lib/build";
import { generatePrismaClients } from "@/scripts/lib/generate";
import { createScratchDatabase, generateSecrets } from "@/scripts/lib/scratch";
import { binaryExists, startRedisServer, type RedisProcess } from "@/scripts/lib/redis-processes";
import { credentialsFor, startBenchServer, type BenchServer } from "./lib/servers";
import { runInterleaved, type LoadTarget, type TargetResult } from "./lib/load";
import { runMicro } from "./lib/micro";
import { benchDpopKey, dpopProofPool } from "./lib/dpop";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "2" },
    rounds: { type: "string", default: "8" },
    warmup: { type: "string", default: "3" },
    quick: { type: "boolean", default: false },
    out: { type: "string", default: "bench/results.json" },
    "no-redis": { type: "boolean", default: false },
    /** Comma-separated target names to load (all by default); micro-benchmarks always run. */
    targets: { type: "string" },
    "skip-micro": { type: "boolean", default: false },
  },
});
const quick = values.quick;
const durationSeconds = quick ? 1 : Number(values.duration);
const rounds = quick ? 1 : Number(values.rounds);
const warmupSeconds = quick ? 1 : Number(values.warmup);
const root = process.cwd();
const log = (line: string) => console.log(`bench: ${line}`);
const PASSWORD = "benchmark passphrase, long enough";

/**
 * With taskset and two or more CPUs, servers run on CPU 0 and this process (the load generator and
 * the micro-benchmarks) on CPU 1, so they do not take turns on one core and the scheduler moving
 * them around does not add noise.
 */
function pinning(): { serverCpu?: number } {
  if (os.cpus().length < 2 || !binaryExists("taskset")) return {};
  spawnSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" });
  return { serverCpu: 0 };
}

async function main() {
  generatePrismaClients(root);
  if (!buildIsCurrent(root)) build(root);
  const { serverCpu } = pinning();
  log(
    serverCpu === undefined
      ? "servers and load share the CPUs (no taskset)"
      : "servers pinned to CPU 0, load generator to CPU 1",
  );

  const database = await createScratchDatabase(root);
  const secrets = await generateSecrets();
  const cleanups: (() => Promise<void> | void)[] = [() => database.dispose()];
  try {
    let redis: RedisProcess | null = null;
    if (!values["no-redis"] && binaryExists("redis-server")) {
      const dir = mkdtempSync(path.join(os.tmpdir(), "authlab-bench-redis-"));
      redis = await startRedisServer({ dir });
      cleanups.push(async () => {
        await redis!.stop();
        rmSync(dir, { recursive: true, force: true });
      });
    } else {
      log("redis-server not available: the Redis store is not measured");
    }

    const servers: BenchServer[] = [];
    for (const store of ["database", "memory", ...(redis ? ["redis" as const] : [])] as const) {
      const server = await startBenchServer(root, store, database, secrets, redis?.url, serverCpu);
      servers.push(server);
      cleanups.push(() => server.process.stop());
    }
    const primary = servers[0]!;
    const credentials = new Map<string, { cookie: string; accessToken: string }>();
    for (const server of servers)
      credentials.set(
        server.store,
        await credentialsFor(server, `bench-${server.store}-${Date.now()}@bench.test`, PASSWORD),
      );
    const loginEmail = `bench-login-${Date.now()}@bench.test`;
    await credentialsFor(primary, loginEmail, PASSWORD);
    const dpopKey = await benchDpopKey();
    const dpopToken = (await credentialsFor(primary, `bench-dpop-${Date.now()}@bench.test`, PASSWORD, dpopKey))
      .accessToken;

    const targets: LoadTarget[] = [
      {
        name: "health",
        description: "GET /api/health — baseline, no middleware",
        url: `${primary.url}/api/health`,
        connections: 10,
        expectStatus: 200,
      },
      {
        name: "health-with-cookie",
        description:
          "GET /api/health carrying the session cookie, unchecked — what transporting the cookie costs by itself",
        url: `${primary.url}/api/health`,
        headers: { cookie: credentials.get("database")!.cookie },
        connections: 10,
        expectStatus: 200,
      },
      {
        name: "noop-middleware",
        description: "GET /api/noop — Edge middleware runs, no token check (the middleware floor)",
        url: `${primary.url}/api/noop`,
        connections: 10,
        expectStatus: 200,
      },
      {
        name: "jwt-me",
        description: "GET /api/me — Bearer token verified in Edge middleware",
        url: `${primary.url}/api/me`,
        headers: { authorization: `Bearer ${credentials.get("database")!.accessToken}` },
        connections: 10,
        expectStatus: 200,
      },
      {
        name: "jwt-dpop",
        description:
          "GET /api/me — DPoP-bound token and a fresh proof per request, both checked at the Edge and in the handler",
        url: `${primary.url}/api/me`,
        freshHeaders: dpopProofPool(dpopKey, { method: "GET", url: `${primary.url}/api/me`, accessToken: dpopToken }),
        connections: 10,
        expectStatus: 200,
      },
      ...servers.map((server) => ({
        name: `session-${server.store}`,
        description: `GET /api/session — cookie unsealed, ${server.store} store lookup, user read`,
        url: `${server.url}/api/session`,
        headers: { cookie: credentials.get(server.store)!.cookie },
        connections: 10,
        expectStatus: 200,
      })),
    ];
    const wanted = values.targets?.split(",").map((t) => t.trim());
    const chosen = wanted ? targets.filter((t) => wanted.includes(t.name)) : targets;
    log(`measuring ${chosen.length} targets, ${rounds} round(s) of ${durationSeconds} s each, interleaved`);
    const results = await runInterleaved(chosen, { rounds, durationSeconds, warmupSeconds, log });
    const login =
      wanted && !wanted.includes("login")
        ? []
        : await runInterleaved(
            [
              {
                name: "login",
                description: "POST /api/auth/login — argon2id verify, new session, refresh family and access token",
                url: `${primary.url}/api/auth/login`,
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ email: loginEmail, password: PASSWORD }),
                connections: 2,
                expectStatus: 200,
              },
            ],
            { rounds, durationSeconds, warmupSeconds: 1, log },
          );
    results.push(...login);

    if (values["skip-micro"]) {
      for (const t of results) log(`${t.name}: ${t.requestsPerSecond.toFixed(0)} req/s`);
      const { ratios } = summarise(results, null, { durationSeconds, rounds, quick });
      log(`ratios ${JSON.stringify(ratios)}`);
      return;
    }
    log("measuring per-check costs (microseconds)");
    Object.assign(process.env, {
      ...secrets,
      AUTHLAB_ENV: "production",
      DATABASE_URL: database.url,
      SESSION_STORE: "memory",
      REDIS_URL: "",
    });
    const microseconds = await runMicro({ redisUrl: redis?.url, minMs: quick ? 50 : 300, rounds: quick ? 1 : 5 });

    const report = summarise(results, microseconds, { durationSeconds, rounds, quick });
    print(report);
    mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    writeFileSync(path.resolve(values.out), `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${values.out}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

type Micro = Awaited<ReturnType<typeof runMicro>>;

function summarise<M extends Micro | null>(
  targets: TargetResult[],
  microseconds: M,
  run: { durationSeconds: number; rounds: number; quick: boolean },
) {
  // Paired: the two targets of a ratio ran minutes apart at most within one round, so the median of
  // per-round ratios cancels the machine's drift better than a ratio of medians.
  const ratio = (a: string, b: string) => {
    const ra = targets.find((t) => t.name === a)?.rounds ?? [];
    const rb = targets.find((t) => t.name === b)?.rounds ?? [];
    const perRound = ra.map((x, i) => x.requestsPerSecond / (rb[i]?.requestsPerSecond ?? NaN)).sort((x, y) => x - y);
    return Number((perRound[Math.floor(perRound.length / 2)] ?? NaN).toFixed(3));
  };
  const ratios = {
    jwtVsNoopMiddleware: ratio("jwt-me", "noop-middleware"),
    jwtDpopVsNoopMiddleware: ratio("jwt-dpop", "noop-middleware"),
    sessionVsBaseline: ratio("session-database", "health"),
    sessionMemoryVsBaseline: ratio("session-memory", "health"),
    ...(targets.some((t) => t.name === "session-redis")
      ? { sessionRedisVsBaseline: ratio("session-redis", "health") }
      : {}),
    noopMiddlewareVsBaseline: ratio("noop-middleware", "health"),
    /** Informational: the same route with the cookie attached but not checked. */
    cookieTransportVsBaseline: ratio("health-with-cookie", "health"),
    sessionVsCookieBaseline: ratio("session-database", "health-with-cookie"),
  };
  const loginP50 = targets.find((t) => t.name === "login")?.latencyMs.p50 ?? NaN;
  const errors = targets.reduce((sum, t) => sum + t.errors, 0);
  const goals = !microseconds
    ? []
    : [
        {
          name: "JWT verification adds ≤ 10 % over the no-op middleware route",
          target: "jwtVsNoopMiddleware ≥ 0.90",
          actual: ratios.jwtVsNoopMiddleware,
          met: ratios.jwtVsNoopMiddleware >= 0.9,
        },
        {
          name: "a DPoP-bound request (token and a fresh proof) adds ≤ 20 % over the no-op middleware route",
          target: "jwtDpopVsNoopMiddleware ≥ 0.80",
          actual: ratios.jwtDpopVsNoopMiddleware,
          met: ratios.jwtDpopVsNoopMiddleware >= 0.8,
        },
        {
          name: "a session check adds ≤ 15 % over the unauthenticated route",
          target: "sessionVsBaseline ≥ 0.85",
          actual: ratios.sessionVsBaseline,
          met: ratios.sessionVsBaseline >= 0.85,
        },
        {
          name: "JWT verification ≤ 1.5× the raw ES256 verify",
          target: "jwtVerify / rawEs256Verify ≤ 1.5",
          actual: Number((microseconds.jwtVerify / microseconds.rawEs256Verify).toFixed(2)),
          met: microseconds.jwtVerify <= 1.5 * microseconds.rawEs256Verify,
        },
        {
          name: "session cookie check cheaper than Auth.js's JWE decode",
          target: "ironUnseal < authjsJweDecode",
          actual: Number((microseconds.ironUnseal / microseconds.authjsJweDecode).toFixed(2)),
          met: microseconds.ironUnseal < microseconds.authjsJweDecode,
        },
        {
          name: "login p50 under 150 ms (argon2id m=19 MiB, t=2, p=1)",
          target: "p50 < 150 ms",
          actual: loginP50,
          met: loginP50 < 150,
        },
        { name: "no errors", target: "0", actual: errors, met: errors === 0 },
      ];
  return {
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    run,
    targets,
    ratios,
    microseconds,
    goals,
  };
}

function print(report: ReturnType<typeof summarise<Micro>>) {
  const pad = (s: string | number, n: number, left = false) => (left ? String(s).padStart(n) : String(s).padEnd(n));
  console.log(
    `\n${pad("target", 18)}${pad("req/s", 9, true)}${pad("p50 ms", 9, true)}${pad("p99 ms", 9, true)}${pad("errors", 8, true)}  what`,
  );
  for (const t of report.targets) {
    console.log(
      `${pad(t.name, 18)}${pad(t.requestsPerSecond.toFixed(0), 9, true)}${pad(t.latencyMs.p50, 9, true)}${pad(t.latencyMs.p99, 9, true)}${pad(t.errors, 8, true)}  ${t.description}`,
    );
  }
  console.log("\nratios (requests/s)");
  for (const [name, value] of Object.entries(report.ratios)) console.log(`  ${pad(name, 26)}${value}`);
  const m = report.microseconds;
  console.log("\nmicroseconds per check");
  const rows: [string, number | null][] = [
    ["JWT verify (ours, jose)", m.jwtVerify],
    ["DPoP proof verify (ours, jose)", m.dpopProofVerify],
    ["raw ES256 verify (floor)", m.rawEs256Verify],
    ["jsonwebtoken verify (peer)", m.jsonwebtokenVerify],
    ["iron-session unseal", m.ironUnseal],
    ["Auth.js JWE decode (peer)", m.authjsJweDecode],
    ["session + user: memory store", m.storeLookup.memory],
    ["session + user: database store", m.storeLookup.database],
    ["session + user: redis store", m.storeLookup.redis],
    ["  same read through Prisma", m.prismaSessionLookup],
    ["user read (driver)", m.userLookup],
    ["  same read through Prisma", m.prismaUserLookup],
    ["session check, memory store", m.sessionCheck.memory],
    ["session check, database store", m.sessionCheck.database],
  ];
  for (const [name, value] of rows) console.log(`  ${pad(name, 32)}${value === null ? "—" : value.toFixed(1)}`);
  console.log("\ngoals");
  for (const goal of report.goals)
    console.log(`  ${goal.met ? "✓" : "✗"} ${goal.name}: ${goal.actual} (${goal.target})`);
}

await main();
