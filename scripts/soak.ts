/**
 * `npm run soak [-- --duration 150 --concurrency 12 --database postgresql|sqlite --out <file>]`: a
 * bounded chaos soak on one machine (docs/operations.md, "Failure behaviour").
 *
 * Starts its own redis-server (append-only), a fresh database and two production instances sharing
 * both (SESSION_STORE=redis); drives mixed traffic from `concurrency` clients with client-side failover
 * (sign-up, sign-in, /api/session, /api/me, refresh, sign-out, and one client guessing a password);
 * injects faults on a timeline — kill -9 of instance a and a restart, a Redis outage, a SIGTERM
 * restart of instance b — then checks that nothing was lost: every account signs in, every 204 sign-out
 * ended its session, every session nobody ended still works, the sessions live when Redis went down
 * survived it, and the first requests after each restart were as fast as warm ones (within 3× the warm
 * p99). Prints a table per phase, writes JSON, and exits non-zero when anything was lost or an
 * unexpected status appeared (a 429 for a client that never failed a password is one).
 */
import os from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { build, buildIsCurrent } from "@/scripts/lib/build";
import { generatePrismaClients } from "@/scripts/lib/generate";
import { binaryExists } from "@/scripts/lib/redis-processes";
import { postgresReachable } from "@/scripts/lib/scratch";
import { startCluster, type Instance } from "./soak/cluster";
import { runFaults, timelineFor, type FaultRun } from "./soak/faults";
import { FLOWS, flowStats, judge, percentile, type Flow, type Sample } from "./soak/samples";
import { SoakClient, type Endpoints } from "./soak/client";
import { guessPasswords, Ledger, PASSWORD, User, type SessionEntry } from "./soak/traffic";
import { verify } from "./soak/verify";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "150" },
    concurrency: { type: "string", default: "12" },
    database: { type: "string", default: "postgresql" },
    out: { type: "string", default: "bench/soak-results.json" },
  },
});
const duration = Number(values.duration);
const concurrency = Number(values.concurrency);
const databaseKind = values.database;
if (!Number.isFinite(duration) || duration < 20) fail("--duration: at least 20 seconds");
if (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 200) fail("--concurrency: 2 to 200 clients");
if (databaseKind !== "postgresql" && databaseKind !== "sqlite") fail('--database: "postgresql" or "sqlite"');

const root = process.cwd();
const say = (line: string) => console.log(`soak: ${line}`);
/** First requests after a restart must be within this many times the warm p99. */
const RESTART_FACTOR = 3;
/** A warm p99 below this is scheduling noise; the bound never drops under 3× this. */
const RESTART_FLOOR_MS = 20;
const PROBE_FLOWS: Flow[] = ["signin", "session", "me", "refresh", "signout"];
/** Sessions started before the traffic and never touched until the checks. */
const BYSTANDERS = 4;

function fail(message: string): never {
  console.error(`soak: ${message}`);
  process.exit(2);
}

/** Does the server accept a rotated refresh token's immediate parent again for a moment (the reuse grace window)? */
async function detectRefreshGrace(endpoints: Endpoints): Promise<boolean> {
  const client = new SoakClient(endpoints, "203.0.113.253", "a");
  const email = `soak-preflight-${Date.now()}@soak.test`;
  const signup = await client.send("signup", "/api/auth/signup", {
    method: "POST",
    json: { email, password: PASSWORD },
  });
  if (signup.outcome.kind !== "status" || signup.outcome.status !== 201) throw new Error("preflight sign-up failed");
  const parent = client.cookies.get("authlab_refresh")!;
  await client.send("refresh", "/api/auth/refresh", { method: "POST" });
  client.cookies.set("authlab_refresh", parent);
  const again = await client.send("refresh", "/api/auth/refresh", { method: "POST" });
  return again.outcome.kind === "status" && again.outcome.status === 200;
}

/** The first requests a restarted instance answers, timed: a sign-in and what follows it. */
async function firstRequests(instance: Instance, endpoints: Endpoints, email: string) {
  const client = new SoakClient({ ...endpoints, record: () => undefined }, "203.0.113.254", instance.name);
  const times: Partial<Record<Flow, number>> = {};
  const timed = async (flow: Flow, send: () => ReturnType<SoakClient["send"]>) => {
    const started = performance.now();
    const answer = await send();
    times[flow] = Math.round((performance.now() - started) * 10) / 10;
    return answer;
  };
  const signIn = await timed("signin", () =>
    client.send("signin", "/api/auth/login", { method: "POST", json: { email, password: PASSWORD } }),
  );
  const token = signIn.body?.accessToken as string | undefined;
  await timed("session", () => client.send("session", "/api/session"));
  await timed("me", () => client.send("me", "/api/me", { bearer: token }));
  await timed("refresh", () => client.send("refresh", "/api/auth/refresh", { method: "POST" }));
  await timed("signout", () => client.send("signout", "/api/auth/logout", { method: "POST" }));
  return times;
}

function table(rows: (string | number | null)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? "-").length)));
  return rows
    .map((r) =>
      r.map((cell, i) => String(cell ?? "-")[i === 0 || i === 1 ? "padEnd" : "padStart"](widths[i]!)).join("  "),
    )
    .join("\n");
}

async function main() {
  if (!binaryExists("redis-server")) fail("redis-server is not installed (apt-get install redis-server)");
  if (databaseKind === "postgresql" && !(await postgresReachable()))
    fail("PostgreSQL is not reachable at POSTGRES_ADMIN_URL; start it or pass --database sqlite");
  generatePrismaClients(root);
  if (!buildIsCurrent(root)) build(root);

  const loadAtStart = Math.round(os.loadavg()[0]! * 10) / 10;
  say(`starting redis-server, a ${databaseKind} database and two instances`);
  const cluster = await startCluster(root, databaseKind as "postgresql" | "sqlite");
  const stopOnSignal = () => void cluster.dispose().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  let exitCode = 1;
  try {
    const samples: Sample[] = [];
    let t0 = performance.now();
    const endpoints: Endpoints = {
      urls: { a: cluster.instances.a.url, b: cluster.instances.b.url },
      now: () => performance.now() - t0,
      record: (sample) => samples.push(sample),
    };
    const refreshReuseGrace = await detectRefreshGrace({ ...endpoints, record: () => undefined });
    say(`refresh re-sent within the grace window: ${refreshReuseGrace ? "accepted" : "reuse (strict mode)"}`);
    const setup = new SoakClient({ ...endpoints, record: () => undefined }, "203.0.113.253", "b");
    const probeEmail = `soak-probe-${Date.now()}@soak.test`;
    const victim = `soak-victim-${Date.now()}@soak.test`;
    for (const email of [probeEmail, victim]) {
      await setup.send("signup", "/api/auth/signup", { method: "POST", json: { email, password: PASSWORD } });
      setup.cookies.clear();
    }

    // Sessions nobody touches during the run, like a browser tab left open: each must survive every fault.
    const ledger = new Ledger();
    const bystanders: SessionEntry[] = [];
    for (let i = 1; i <= BYSTANDERS; i++) {
      const email = `soak-bystander-${i}-${Date.now()}@soak.test`;
      const client = new SoakClient({ ...endpoints, record: () => undefined }, "203.0.113.253", i % 2 ? "a" : "b");
      const answer = await client.send("signup", "/api/auth/signup", {
        method: "POST",
        json: { email, password: PASSWORD },
      });
      if (answer.outcome.kind !== "status" || answer.outcome.status !== 201)
        throw new Error("bystander sign-up failed");
      const entry = { owner: `bystander-${i}`, cookies: new Map(client.cookies), startedAt: 0 };
      bystanders.push(entry);
      ledger.sessions.push(entry);
      ledger.accounts.push({ email, address: "203.0.113.253", confirmed: true });
    }
    const users = Array.from(
      { length: concurrency },
      (_, i) =>
        new User(
          endpoints,
          ledger,
          `u${i + 1}`,
          `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`,
          i % 2 ? "b" : "a",
        ),
    );
    const timeline = timelineFor(duration);
    say(
      `${duration} s, ${concurrency} clients; kill -9 a at ${timeline.killAt.toFixed(0)} s, Redis down at ` +
        `${timeline.redisAt.toFixed(0)} s for ${timeline.redisFor.toFixed(0)} s, SIGTERM b at ${timeline.terminateAt.toFixed(0)} s`,
    );
    t0 = performance.now();
    let faultsDone = false;
    const running = () => !faultsDone || endpoints.now() < duration * 1000;
    const traffic = [...users.map((user) => user.run(running)), guessPasswords(endpoints, victim, running)];
    const firstAfterRestart: { instance: string; times: Partial<Record<Flow, number>>; at: number }[] = [];
    let faults: FaultRun;
    try {
      faults = await runFaults(
        cluster,
        timeline,
        endpoints.now,
        () => [...bystanders, ...users.flatMap((u) => (u.session && !u.session.ended ? [u.session] : []))],
        async (instance) => {
          say(`instance ${instance.name} is back`);
          firstAfterRestart.push({
            instance: instance.name,
            at: endpoints.now(),
            times: await firstRequests(instance, endpoints, probeEmail),
          });
        },
      );
    } finally {
      faultsDone = true;
    }
    await Promise.all(traffic);
    const end = endpoints.now();
    say(`traffic stopped after ${(end / 1000).toFixed(0)} s and ${samples.length} requests; verifying`);
    const verification = await verify(ledger, endpoints.urls);

    // Judge every request against the fault windows, now that they are closed.
    const unexpectedLabel = new Map<Sample, string>();
    for (const sample of samples) {
      const label = judge(sample, faults.windows, refreshReuseGrace);
      if (label) unexpectedLabel.set(sample, label);
    }
    const isUnexpected = (s: Sample) => unexpectedLabel.has(s);
    const phases = faults.phases.map((phase) => {
      const inPhase = samples.filter((s) => s.start >= phase.from && s.start < Math.min(phase.to, end + 1));
      return {
        phase: phase.name,
        fromSeconds: Math.round(phase.from / 100) / 10,
        toSeconds: Math.round(Math.min(phase.to, end) / 100) / 10,
        flows: Object.fromEntries(
          FLOWS.map((flow) => [
            flow,
            flowStats(
              inPhase.filter((s) => s.flow === flow),
              isUnexpected,
            ),
          ]),
        ),
      };
    });

    // Fail fast: once an instance knows Redis is gone (after the outage's first second), a 503 should
    // come at once, not after a connection timeout (the store's circuit breaker).
    const outageWindow = faults.windows.find((w) => w.kind === "redis")!;
    const failFast = failFastStats(samples, outageWindow.from + 1000, outageWindow.to);
    const recovery = recoveryStats(samples, faults.outage.redisBackAt);

    const restarts = faults.restarts.map((restart, i) => {
      const steadyBefore = samples.filter(
        (s) =>
          s.end < restart.readyAt - restart.downMs &&
          s.outcome.kind === "status" &&
          s.outcome.status < 300 &&
          faults.phases.some((p) => p.name.endsWith("steady") && s.start >= p.from && s.start < p.to),
      );
      const first = firstAfterRestart[i]!.times;
      const flows = Object.fromEntries(
        PROBE_FLOWS.map((flow) => {
          const warmP99 = percentile(
            steadyBefore.filter((s) => s.flow === flow).map((s) => s.end - s.start),
            0.99,
          );
          const bound = RESTART_FACTOR * Math.max(warmP99 ?? 0, RESTART_FLOOR_MS);
          return [
            flow,
            { firstMs: first[flow] ?? null, warmP99Ms: warmP99 === null ? null : Math.round(warmP99 * 10) / 10, bound },
          ];
        }),
      );
      // A flow with no warm sample before the fault (a very short run) cannot be judged; it is reported.
      const within = Object.values(flows).every(
        (f) => f.warmP99Ms === null || (f.firstMs !== null && f.firstMs < f.bound),
      );
      return { ...restart, firstRequests: flows, withinTarget: within };
    });

    const unexpected = new Map<string, { count: number; phase: string; flow: Flow; instance: string }>();
    for (const [sample, label] of unexpectedLabel) {
      const key = `${sample.flow}: ${label}`;
      const phase = faults.phases.find((p) => sample.start >= p.from && sample.start < p.to)?.name ?? "?";
      const entry = unexpected.get(key) ?? { count: 0, phase, flow: sample.flow, instance: sample.instance };
      entry.count += 1;
      unexpected.set(key, entry);
    }
    const problems = [
      ...[...unexpected].map(([key, e]) => `${e.count} × ${key} (first in phase "${e.phase}", instance ${e.instance})`),
      ...(verification.accounts.failed
        ? [`${verification.accounts.failed} accounts could not sign in afterwards`]
        : []),
      ...(verification.signOuts.alive
        ? [`${verification.signOuts.alive} sessions still worked after a 204 sign-out`]
        : []),
      ...(verification.liveSessions.lost ? [`${verification.liveSessions.lost} live sessions were lost`] : []),
      ...(faults.outage.lost ? [`${faults.outage.lost} sessions did not survive the Redis outage`] : []),
      ...restarts
        .filter((r) => !r.withinTarget)
        .map(
          (r) => `instance ${r.instance} after ${r.how}: a first request slower than ${RESTART_FACTOR}× the warm p99`,
        ),
      ...restarts
        .filter((r) => r.drain && r.drain.exitCode !== 0)
        .map(
          (r) => `instance ${r.instance} did not exit cleanly after SIGTERM (${r.drain!.exitCode ?? r.drain!.signal})`,
        ),
    ];

    const header = ["phase", "flow", "requests", "2xx", "401", "503", "4xx", "5xx", "conn", "p50 ms", "p99 ms", "!"];
    const rows: (string | number | null)[][] = [header];
    for (const phase of phases)
      for (const flow of FLOWS) {
        const f = phase.flows[flow]!;
        if (f.requests === 0) continue;
        rows.push([
          phase.phase,
          flow,
          f.requests,
          f.ok2xx,
          f.status401,
          f.status503,
          f.other4xx,
          f.status5xx,
          f.connectionErrors,
          f.p50Ms,
          f.p99Ms,
          f.unexpected || "",
        ]);
      }
    console.log(`\n${table(rows)}\n`);
    for (const r of restarts)
      console.log(
        `${r.how} ${r.instance}: back after ${(r.downMs / 1000).toFixed(1)} s (start ${(r.startMs / 1000).toFixed(1)} s` +
          `${r.drain ? `, drain ${r.drain.ms} ms, exit ${r.drain.exitCode}` : ""}); first requests ` +
          PROBE_FLOWS.map(
            (f) => `${f} ${r.firstRequests[f]!.firstMs} ms (warm p99 ${r.firstRequests[f]!.warmP99Ms})`,
          ).join(", "),
      );
    console.log(
      `Redis outage, after its first second: ${failFast.count} answers 503, p50 ${failFast.p50Ms} ms, p99 ${failFast.p99Ms} ms; ` +
        `after Redis returned, store requests answered 2xx again within ${recovery.maxMs} ms (${Object.entries(
          recovery.byInstance,
        )
          .map(([instance, ms]) => `${instance} ${ms} ms`)
          .join(", ")})`,
    );
    console.log(
      `Redis outage: ${faults.outage.survived}/${faults.outage.checked} live sessions survived. ` +
        `Afterwards: ${verification.accounts.signIn}/${verification.accounts.checked} accounts sign in, ` +
        `${verification.signOuts.ended}/${verification.signOuts.checked} signed-out sessions stay ended, ` +
        `${verification.liveSessions.alive}/${verification.liveSessions.checked} live sessions work.`,
    );
    for (const line of verification.examples) console.log(`  ${line}`);
    const ok = problems.length === 0;
    console.log(ok ? "\nsoak: nothing lost, no unexpected status" : `\nsoak: FAILED\n  ${problems.join("\n  ")}`);

    const out = path.resolve(root, values.out!);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: {
            cpus: os.cpus().length,
            node: process.version,
            platform: `${os.platform()} ${os.release()}`,
            // Other work on the machine shows in every latency: the 1-minute load average at start and end.
            loadAverage: { start: loadAtStart, end: Math.round(os.loadavg()[0]! * 10) / 10 },
          },
          options: { durationSeconds: duration, concurrency, database: databaseKind },
          refreshReuseGrace,
          timelineSeconds: timeline,
          requests: samples.length,
          phases,
          restarts,
          redisOutage: { ...faults.outage, failFast503AfterFirstSecond: failFast, recoveredAfterReturn: recovery },
          verification,
          unexpected: Object.fromEntries(unexpected),
          verdict: { ok, problems },
        },
        null,
        2,
      )}\n`,
    );
    say(`wrote ${path.relative(root, out)}`);
    exitCode = ok ? 0 : 1;
  } finally {
    process.removeListener("SIGINT", stopOnSignal);
    await cluster.dispose();
  }
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * How soon after Redis was running again each instance answered a request that needs the session store
 * (a session check, sign-in, sign-up or refresh) with 2xx: the end of its first such answer that started
 * after `backAt`. It counts the Redis client's reconnection and the circuit's next background ping.
 */
const STORE_FLOWS = new Set<Sample["flow"]>(["session", "signin", "signup", "refresh"]);

function recoveryStats(samples: Sample[], backAt: number) {
  const byInstance: Record<string, number | null> = {};
  for (const instance of ["a", "b"] as const) {
    const first = samples
      .filter((s) => s.instance === instance && STORE_FLOWS.has(s.flow) && s.start >= backAt)
      .filter((s) => s.outcome.kind === "status" && s.outcome.status >= 200 && s.outcome.status < 300)
      .reduce<Sample | null>((earliest, s) => (earliest === null || s.end < earliest.end ? s : earliest), null);
    byInstance[instance] = first === null ? null : Math.round(first.end - backAt);
  }
  const known = Object.values(byInstance).filter((ms): ms is number => ms !== null);
  return { byInstance, maxMs: known.length === 2 ? Math.max(...known) : null };
}

/** The 503s answered between `from` and `to` (ms since the start): how many, and how fast. */
function failFastStats(samples: Sample[], from: number, to: number) {
  const times = samples
    .filter((s) => s.start >= from && s.start < to && s.outcome.kind === "status" && s.outcome.status === 503)
    .map((s) => s.end - s.start);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { count: times.length, p50Ms: round(percentile(times, 0.5)), p99Ms: round(percentile(times, 0.99)) };
}
