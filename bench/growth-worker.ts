/**
 * One store's growth run, in a process of its own (started by bench/lib/growth.ts): the app's modules
 * read their configuration once per process, and a fresh process makes the memory store's footprint
 * measurable. Fills the store step by step to each size and, at each, measures:
 *  - the store read a session check makes (getWithUser: record and user), in-process, at random records;
 *  - GET /api/session over HTTP against a server on the same store (not for the memory store, which
 *    lives inside its own server process and could only be filled by sign-ins);
 *  - what a session costs in bytes (Redis INFO memory, the table and its indexes, or the heap);
 *  - for the database stores, the strict JWT check with as many refresh families, half of them revoked,
 *    and as many revoked access-token `jti`s in the RFC 7009 denylist;
 * then, at the largest size, the maintenance sweep: how long it takes and what it does to checks
 * that run meanwhile; and on a Redis Cluster, a shard's primary killed (bench/lib/failover.ts).
 * Writes its rows as JSON to the file named in its argument.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import Database from "better-sqlite3";
import pg from "pg";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Cluster, Redis } from "ioredis";
import { sqliteFilePath } from "@/lib/server/db/sqlite-path";
import { startBenchServer, type BenchServer } from "./lib/servers";
import { createProbe } from "./lib/http-probe";
import { createUsers, postgresFiller, sqliteFiller, storeFiller, SyntheticSessions, type Filler } from "./lib/fill";
import { mintAccessTokens, sealedCookies } from "./lib/pools";
import { microsSince, summary } from "./lib/stats";
import { measureFailover } from "./lib/failover";
import {
  GROWTH_IDLE_TIMEOUT_SECONDS,
  type GrowthRow,
  type GrowthStore,
  type StrictGrowthRow,
  type SweepRow,
  type WorkerOutput,
  type WorkerSpec,
} from "./lib/growth-spec";

/** Sessions per user: users exist so that records spread over owners as they do in production. */
const SESSIONS_PER_USER = 10;
const IN_PROCESS_WARMUP = 500;
const IN_PROCESS_SAMPLES = 5_000;
const HTTP_COOKIES = 300;
const HTTP_REQUESTS = 3_000;
const STRICT_SAMPLES = 2_000;
const STRICT_HTTP_TOKENS = 200;
const STRICT_HTTP_REQUESTS = 1_000;
/** At the largest size, this share of expired records (and refresh families) is added for the sweep. */
const EXPIRED_SHARE = 0.1;
/** The sweep's effect is sampled open-loop: a check is due every this many ms, whether or not the last finished. */
const SWEEP_PROBE_INTERVAL_MS = 5;
const SWEEP_BASELINE_MS = 2_000;

const spec = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as WorkerSpec;
const log = (line: string) => console.log(`growth[${spec.store}]: ${line}`);
const isDatabase = spec.store === "sqlite" || spec.store === "postgresql";
const onCluster = spec.store === "redis-cluster";
const randomIndex = (size: number) => Math.floor(Math.random() * size);

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

async function main() {
  const { config } = await import("@/lib/edge/config");
  const { sessionStore } = await import("@/lib/server/auth/session");
  const { findUserById } = await import("@/lib/server/accounts/users");
  const { assertNotRevoked } = await import("@/lib/server/auth/jwt/strict-check");
  const { sweep } = await import("@/lib/server/maintenance");
  const settings = config();
  const databaseUrl = settings.database.url;
  const lifetimes = {
    idleSeconds: settings.session.idleTimeoutSeconds,
    absoluteSeconds: settings.session.absoluteTimeoutSeconds,
  };
  const largest = Math.max(...spec.sizes);
  const expiredCount = Math.round(largest * EXPIRED_SHARE);

  const started = performance.now();
  const userIds = await createUsers(databaseUrl, spec.tag, Math.ceil((largest + expiredCount) / SESSIONS_PER_USER));
  const population = new SyntheticSessions(spec.tag, userIds, onCluster);
  const store = sessionStore();
  const filler: Filler =
    spec.store === "sqlite"
      ? sqliteFiller(databaseUrl, population, lifetimes)
      : spec.store === "postgresql"
        ? postgresFiller(databaseUrl, population, lifetimes)
        : storeFiller(store, population, lifetimes);
  const bytes = bytesMeter(spec.store, databaseUrl, settings.redis);
  await bytes.baseline();

  let server: BenchServer | null = null;
  if (spec.store !== "memory") {
    server = await startBenchServer(
      process.cwd(),
      spec.store === "redis" || onCluster ? "redis" : "database",
      { kind: spec.store === "postgresql" ? "postgresql" : "sqlite", url: databaseUrl, dispose: async () => {} },
      {
        SESSION_PASSWORD: process.env.SESSION_PASSWORD!,
        JWT_PRIVATE_JWKS: process.env.JWT_PRIVATE_JWKS!,
        METRICS_TOKEN: process.env.METRICS_TOKEN!,
      },
      settings.redis?.kind === "url" ? settings.redis.url : undefined,
      spec.serverCpu,
      // The sweep is measured here, in-process; the server's own timer must not fire mid-measurement.
      {
        SESSION_IDLE_TIMEOUT_SECONDS: String(GROWTH_IDLE_TIMEOUT_SECONDS),
        SESSION_SWEEP_INTERVAL_SECONDS: "86400",
        ...(onCluster ? { REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES! } : {}),
      },
    );
  }

  const rows: GrowthRow[] = [];
  const strictRows: StrictGrowthRow[] = [];
  let filled = 0;
  try {
    for (const size of spec.sizes) {
      const fillStarted = performance.now();
      for (let from = filled; from < size; from = Math.min(size, from + 100_000)) {
        const to = Math.min(size, from + 100_000);
        await filler.sessions(from, to);
        if (isDatabase) {
          await filler.families(from, to);
          await filler.denials(from, to);
        }
        log(`filled ${to.toLocaleString("en-US")} / ${size.toLocaleString("en-US")} sessions`);
      }
      filled = size;
      const fillSeconds = (performance.now() - fillStarted) / 1000;
      if (spec.store === "postgresql") await analyze(databaseUrl);

      const check = async (i: number) => {
        const found = await store.getWithUser(population.tokenHash(i), findUserById);
        if (!found?.user) throw new Error(`record ${i} was not found in the ${spec.store} store`);
      };
      const inProcess = await timeSamples(size, check);
      const http = server ? await httpChecks(server.url, population, size) : null;
      const used = await bytes.perSession(size);
      rows.push({
        store: spec.store,
        sessions: size,
        checkP50Micros: inProcess.p50,
        checkP99Micros: inProcess.p99,
        httpP50Micros: http?.p50 ?? null,
        httpP99Micros: http?.p99 ?? null,
        bytesPerSession: used.bytesPerSession,
        bytesMethod: used.method,
        rssBytes: server ? processRss(server.process.child.pid) : process.memoryUsage().rss,
        fillSeconds: Number(fillSeconds.toFixed(1)),
      });
      log(
        `${size.toLocaleString("en-US")} sessions: store read p50 ${inProcess.p50} µs, p99 ${inProcess.p99} µs; HTTP p50 ${http?.p50 ?? "—"} µs; ${used.bytesPerSession ?? "—"} bytes/session (${used.method}); filled in ${fillSeconds.toFixed(1)} s`,
      );

      if (isDatabase) {
        const strict = await timeSamples(
          size,
          async (i) => {
            const verified = {
              claims: {
                iss: settings.jwt.issuer,
                aud: settings.jwt.audience,
                sub: String(population.userId(i)),
                role: "USER" as const,
                iat: 0,
                exp: 0,
                // Every fourth record's jti is on the denylist; the others are looked up and not found.
                jti: i % 4 === 0 ? population.deniedJti(i) : `bench-${i}`,
                sid: population.publicId(i),
              },
              scheme: "Bearer" as const,
            };
            // Odd records' families are revoked and every fourth jti denied: the check's answer is then a
            // refusal, which is its job; the others must pass.
            const refused = await assertNotRevoked(verified).then(
              () => false,
              () => true,
            );
            if (refused !== (i % 2 === 1 || i % 4 === 0)) throw new Error(`strict check of record ${i}: wrong answer`);
          },
          STRICT_SAMPLES,
        );
        const strictHttp = server ? await strictHttpChecks(server.url, population, size) : null;
        strictRows.push({
          database: spec.store,
          families: size,
          deniedJtis: size,
          checkP50Micros: strict.p50,
          checkP99Micros: strict.p99,
          httpP50Micros: strictHttp?.p50 ?? null,
          httpP99Micros: strictHttp?.p99 ?? null,
        });
        log(
          `${size.toLocaleString("en-US")} families and denied jtis: strict check p50 ${strict.p50} µs, p99 ${strict.p99} µs`,
        );
      }
    }

    log(`adding ${expiredCount.toLocaleString("en-US")} expired sessions for the sweep`);
    await filler.sessions(largest, largest + expiredCount, true);
    if (isDatabase) {
      await filler.families(largest, largest + expiredCount, true);
      await filler.denials(largest, largest + expiredCount, true);
    }
    const liveCheck = async (i: number) => {
      await store.getWithUser(population.tokenHash(i), findUserById);
    };
    const baselineEnd = performance.now() + SWEEP_BASELINE_MS;
    const before = await openLoop(largest, liveCheck, () => baselineEnd);
    const stalls = stallMeter();
    const sweepStarted = performance.now();
    let sweepEnded = Infinity;
    const swept = sweep().finally(() => (sweepEnded = performance.now()));
    const during = await openLoop(largest, liveCheck, () => sweepEnded);
    const deleted = await swept;
    const sweepMs = sweepEnded - sweepStarted;
    const stall = stalls.stop();
    const sweepRow: SweepRow = {
      store: spec.store,
      sessions: largest,
      expired: expiredCount,
      sweepMs: Math.round(sweepMs),
      deleted: deleted.sessions,
      familiesDeleted: deleted.families,
      denialsDeleted: deleted.revocations,
      checkP99BeforeMicros: before.p99,
      checkP99DuringMicros: during.p99,
      checkMaxDuringMicros: during.max,
      checksDuring: during.count,
      maxEventLoopDelayMs: stall.maxMs,
      eventLoopDelayP99Ms: stall.p99Ms,
    };
    log(
      `sweep: ${sweepRow.sweepMs} ms for ${deleted.sessions} sessions, ${deleted.families} families and ${deleted.revocations} denied jtis; check p99 ${before.p99} µs before, ${during.p99} µs during; event-loop delay p99 ${sweepRow.eventLoopDelayP99Ms} ms, max ${sweepRow.maxEventLoopDelayMs} ms`,
    );
    const failover =
      onCluster && server
        ? await measureFailover({ serverUrl: server.url, population, size: largest, lifetimes, log })
        : undefined;
    const output: WorkerOutput = { rows, strictRows, sweep: sweepRow, failover };
    writeFileSync(spec.resultFile, JSON.stringify(output));
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await filler.close();
    await bytes.close();
    await server?.process.stop();
    await store.close();
  }
}

/** The event loop's delay while the sweep runs (Node's own histogram: p99 and the longest stall). */
function stallMeter() {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const ms = (nanoseconds: number) => Number((nanoseconds / 1e6).toFixed(1));
      return { p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
    },
  };
}

/** p50/p99 of `check` at uniformly random records, after a warm-up. */
async function timeSamples(size: number, check: (i: number) => Promise<void>, samples = IN_PROCESS_SAMPLES) {
  for (let k = 0; k < IN_PROCESS_WARMUP; k++) await check(randomIndex(size));
  const micros: number[] = [];
  for (let k = 0; k < samples; k++) {
    const i = randomIndex(size);
    const t = process.hrtime.bigint();
    await check(i);
    micros.push(microsSince(t));
  }
  return summary(micros);
}

/**
 * Checks due every SWEEP_PROBE_INTERVAL_MS until `until()` (a performance.now() time), each timed
 * from when it was due rather than from when it could start: when the event loop stalls, every check
 * that fell due meanwhile is sent once it can run, and carries the wait a request arriving then would
 * have had (no coordinated omission).
 */
async function openLoop(size: number, check: (i: number) => Promise<void>, until: () => number) {
  const micros: number[] = [];
  const inFlight: Promise<void>[] = [];
  const origin = performance.now();
  for (let k = 0; ; k++) {
    const due = origin + k * SWEEP_PROBE_INTERVAL_MS;
    if (k > 0 && due >= until()) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(check(randomIndex(size)).then(() => void micros.push((performance.now() - due) * 1000)));
    if (inFlight.length > 1000) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  return summary(micros);
}

async function httpChecks(baseUrl: string, population: SyntheticSessions, size: number) {
  const indices = Array.from({ length: HTTP_COOKIES }, () => randomIndex(size));
  const cookies = await sealedCookies(population, indices);
  const probe = createProbe(baseUrl);
  try {
    // The first request for each cookie opens the seal and may write the idle expiry; not timed.
    for (const cookie of cookies) await expectOk(probe, "/api/session", { cookie });
    const micros: number[] = [];
    for (let k = 0; k < HTTP_REQUESTS; k++)
      micros.push(await expectOk(probe, "/api/session", { cookie: cookies[randomIndex(cookies.length)]! }));
    return summary(micros);
  } finally {
    probe.close();
  }
}

async function strictHttpChecks(baseUrl: string, population: SyntheticSessions, size: number) {
  // Even records' families are live: their tokens pass the strict check.
  const indices = Array.from({ length: STRICT_HTTP_TOKENS }, () => randomIndex(size / 2) * 2);
  const tokens = await mintAccessTokens(indices.length, (k) => ({
    userId: population.userId(indices[k]!),
    sessionId: population.publicId(indices[k]!),
  }));
  const probe = createProbe(baseUrl);
  try {
    for (const token of tokens) await expectOk(probe, "/api/me/strict", { authorization: `Bearer ${token}` });
    const micros: number[] = [];
    for (let k = 0; k < STRICT_HTTP_REQUESTS; k++) {
      const token = tokens[randomIndex(tokens.length)]!;
      micros.push(await expectOk(probe, "/api/me/strict", { authorization: `Bearer ${token}` }));
    }
    return summary(micros);
  } finally {
    probe.close();
  }
}

async function expectOk(probe: ReturnType<typeof createProbe>, path: string, headers: Record<string, string>) {
  const { status, micros, body } = await probe.request(path, { headers });
  if (status !== 200) throw new Error(`${path} answered ${status}: ${body.slice(0, 300)}`);
  return micros;
}

async function analyze(databaseUrl: string) {
  // Autovacuum would gather statistics after a bulk load; the measurement should not race it.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`ANALYZE "Session"; ANALYZE "RefreshTokenFamily"`);
  await client.end();
}

function processRss(pid: number | undefined): number | null {
  if (!pid) return null;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : null;
}

/** What the store holds beyond its empty state, per session, measured the way each store can be. */
function bytesMeter(
  store: GrowthStore,
  databaseUrl: string,
  redisSettings: { kind: string; url?: string; nodes?: { host: string; port: number }[] } | null,
) {
  let zero = 0;
  const redis = store === "redis" ? new Redis(redisSettings!.url!) : null;
  // Replicas hold copies: what the sessions cost is what the primaries hold.
  const cluster = store === "redis-cluster" ? new Cluster(redisSettings!.nodes!) : null;
  const sqliteBytes = () => {
    const connection = new Database(sqliteFilePath(databaseUrl), { readonly: true });
    try {
      // dbstat: the pages of the Session table and of each of its indexes.
      const row = connection
        .prepare<[], { bytes: number }>(
          `SELECT SUM(pgsize) AS bytes FROM dbstat
           WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'Session')`,
        )
        .get();
      return row?.bytes ?? 0;
    } finally {
      connection.close();
    }
  };
  const measure = async (): Promise<number> => {
    switch (store) {
      case "memory":
        collectGarbage();
        return process.memoryUsage().heapUsed;
      case "sqlite":
        return sqliteBytes();
      case "postgresql": {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        const { rows } = await client.query<{ bytes: string }>(`SELECT pg_total_relation_size('"Session"') AS bytes`);
        await client.end();
        return Number(rows[0]!.bytes);
      }
      case "redis":
        return Number(/used_memory:(\d+)/.exec(await redis!.info("memory"))![1]);
      case "redis-cluster": {
        if (cluster!.status !== "ready") await new Promise((resolve) => cluster!.once("ready", resolve));
        const used = await Promise.all(
          cluster!.nodes("master").map(async (node) => Number(/used_memory:(\d+)/.exec(await node.info("memory"))![1])),
        );
        return used.reduce((sum, bytes) => sum + bytes, 0);
      }
    }
  };
  const method = {
    memory: "V8 heap after GC",
    sqlite: "table + index pages (dbstat)",
    postgresql: "pg_total_relation_size",
    redis: "INFO used_memory",
    "redis-cluster": "INFO used_memory, summed over the primaries",
  }[store];
  return {
    async baseline() {
      zero = await measure();
    },
    async perSession(sessions: number) {
      return { bytesPerSession: Math.round(((await measure()) - zero) / sessions), method };
    },
    async close() {
      redis?.disconnect();
      cluster?.disconnect();
    },
  };
}

await main();
