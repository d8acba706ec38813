/**
 * `npm test`: every suite, in order — unit, integration (real production server, real SQLite, real
 * Redis), end-to-end (real Chromium) — then one summary with pass/fail counts. Exits non-zero if
 * any suite failed. Under CI=true a missing system dependency fails its suite instead of skipping.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { build, buildIsCurrent } from "./lib/build";
import { generatePrismaClients } from "./lib/generate";
import { GATES } from "./server/gate.mjs";

const root = process.cwd();
const reports = path.join(root, "test-results", "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
/**
 * Tooling imports server modules, which start with `import "server-only"`; that package is an empty
 * module only under React's `react-server` export condition (vitest aliases it instead).
 */
const TSX_CONDITIONS = ["--conditions=react-server"];

interface Summary {
  suite: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  exitCode: number;
}

generatePrismaClients(root);
// Both gates' builds: the suites run against the Edge middleware's, and again against the Node proxy's.
for (const gate of GATES) {
  if (buildIsCurrent(root, gate)) continue;
  console.log(`Building the production bundle the suites run against (${gate} gate)…`);
  build(root, [], gate);
}

function run(
  suite: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  read: () => Omit<Summary, "suite" | "seconds" | "exitCode">,
): Summary {
  console.log(`\n━━━ ${suite} ━━━`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
  const seconds = (Date.now() - started) / 1000;
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    counts = read();
  } catch {
    // No report: the runner itself failed before testing anything.
  }
  const exitCode = result.status ?? 1;
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  return { suite, ...counts, seconds, exitCode };
}

function vitest(project: string, label = project, env: Record<string, string> = {}, files: string[] = []): Summary {
  const file = path.join(reports, `${label.replace(/\W/g, "-")}.json`);
  return run(
    label,
    bin("vitest"),
    ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${file}`, ...files],
    env,
    () => {
      const report = JSON.parse(readFileSync(file, "utf8"));
      return {
        passed: report.numPassedTests,
        failed: report.numFailedTests,
        skipped: report.numPendingTests + report.numTodoTests,
      };
    },
  );
}

function playwright(label = "e2e", specs: string[] = [], env: Record<string, string> = {}): Summary {
  const file = path.join(reports, `${label.replace(/\W/g, "-")}.json`);
  return run(
    label,
    bin("playwright"),
    ["test", "--reporter=list,json", ...specs],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: file, NODE_OPTIONS: TSX_CONDITIONS.join(" "), ...env },
    () => {
      const { stats } = JSON.parse(readFileSync(file, "utf8"));
      return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
    },
  );
}

/** The integration suite runs twice: on SQLite, and on PostgreSQL when a server answers (CI requires one). */
function integrationOnPostgres(): Summary {
  const probe = spawnSync(
    bin("tsx"),
    [
      ...TSX_CONDITIONS,
      "-e",
      'import("./scripts/lib/scratch.ts").then(async (m) => process.exit((await m.postgresReachable()) ? 0 : 1))',
    ],
    { cwd: root },
  );
  if (probe.status !== 0) {
    const message =
      "PostgreSQL is not reachable (POSTGRES_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/postgres)";
    if (process.env.CI === "true") {
      console.error(`\n${message}; CI requires it.`);
      return { suite: "integration/pg", passed: 0, failed: 1, skipped: 0, seconds: 0, exitCode: 1 };
    }
    console.warn(`\nskipping the PostgreSQL pass: ${message}`);
    return { suite: "integration/pg", passed: 0, failed: 0, skipped: 1, seconds: 0, exitCode: 0 };
  }
  return vitest("integration", "integration/pg", { TEST_DATABASE: "postgresql" });
}

/** Static checks: each is one "test" that passes or fails; a lint warning fails (--max-warnings=0). */
function staticChecks(): Summary[] {
  const checks: [string, string, string[]][] = [
    ["typecheck", bin("tsc"), ["--noEmit"]],
    ["lint", bin("eslint"), ["--max-warnings=0", "."]],
    ["format", bin("prettier"), ["--check", "."]],
  ];
  return checks
    .map(([suite, command, args]) => run(suite, command, args, {}, () => ({ passed: 0, failed: 0, skipped: 0 })))
    .map((result) => ({
      ...result,
      passed: result.exitCode === 0 ? 1 : 0,
      failed: result.exitCode === 0 ? 0 : 1,
    }));
}

/**
 * The same suites against the Node proxy's build (AUTHLAB_GATE=proxy), on SQLite (the PostgreSQL pass
 * adds nothing gate-specific), and in the browser the dashboard journey and DPoP, whose traces name the
 * gate that answered. A focused pass: every file that sends a request a gate sees — the JWT routes,
 * pages, the security suite — and not the files about storage, processes and tooling, which no gate
 * touches and which take most of the suite's time (outages, failovers, the soak, restarts, migrations,
 * the benchmark, the development-data and throttling checks of the auth routes the matcher leaves out).
 * The full suite passed against the proxy build when the gate was introduced; CI keeps to an hour.
 */
const PROXY = { AUTHLAB_GATE: "proxy" };
const PROXY_E2E_SPECS = ["e2e/dashboard-journey.spec.ts", "e2e/dpop.spec.ts"];
const GATE_INDEPENDENT = new Set([
  "tests/integration/bench-charts.test.ts",
  "tests/integration/bench-smoke.test.ts",
  "tests/integration/cluster-ha.test.ts",
  "tests/integration/cluster.test.ts",
  "tests/integration/lab-shards.test.ts",
  "tests/integration/lifecycle.test.ts",
  "tests/integration/maintenance-batches.test.ts",
  "tests/integration/migrations.test.ts",
  "tests/integration/otel.test.ts",
  "tests/integration/postgres.test.ts",
  "tests/integration/rate-limit-redis.test.ts",
  "tests/integration/refresh-migration.test.ts",
  "tests/integration/restart.test.ts",
  "tests/integration/session-password-rotation.test.ts",
  "tests/integration/session-store-contract.test.ts",
  "tests/integration/session-store-outage.test.ts",
  "tests/integration/soak.test.ts",
  "tests/integration/start.test.ts",
  "tests/security/accounts.test.ts",
  "tests/security/development-data.test.ts",
  "tests/security/login-load.test.ts",
]);

function proxyPassFiles(): string[] {
  return ["tests/integration", "tests/security"]
    .flatMap((directory) => readdirSync(path.join(root, directory)).map((name) => `${directory}/${name}`))
    .filter((file) => file.endsWith(".test.ts") && !GATE_INDEPENDENT.has(file))
    .sort();
}

const only = process.argv.slice(2);
const suites: (() => Summary | Summary[])[] = [];
if (only.length === 0 || only.includes("lint")) suites.push(staticChecks);
if (only.length === 0 || only.includes("unit")) suites.push(() => vitest("unit"));
if (only.length === 0 || only.includes("integration")) suites.push(() => vitest("integration", "integration/sqlite"));
if (only.length === 0 || only.includes("integration") || only.includes("postgres")) suites.push(integrationOnPostgres);
if (only.length === 0 || only.includes("integration") || only.includes("proxy"))
  suites.push(() => vitest("integration", "integration/proxy", PROXY, proxyPassFiles()));
if (only.length === 0 || only.includes("e2e")) suites.push(() => playwright());
if (only.length === 0 || only.includes("e2e") || only.includes("proxy"))
  suites.push(() => playwright("e2e/proxy", PROXY_E2E_SPECS, PROXY));

const results = suites.flatMap((suite) => suite());
const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log("\n━━━ summary ━━━");
console.log(`${pad("suite", 20)}${pad("passed", 9)}${pad("failed", 9)}${pad("skipped", 9)}time`);
for (const r of results)
  console.log(`${pad(r.suite, 20)}${pad(r.passed, 9)}${pad(r.failed, 9)}${pad(r.skipped, 9)}${r.seconds.toFixed(0)} s`);
const totals = results.reduce(
  (t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`${pad("total", 20)}${pad(totals.passed, 9)}${pad(totals.failed, 9)}${pad(totals.skipped, 9)}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (existsSync(path.join(root, "playwright-report")) && results.some((r) => r.suite === "e2e" && r.failed > 0)) {
  console.log("Playwright traces and screenshots of failures: test-results/e2e, report: playwright-report/");
}
process.exit(results.some((r) => r.exitCode !== 0 || r.failed > 0) ? 1 : 0);
