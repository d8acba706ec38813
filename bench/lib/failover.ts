/**
 * What losing one shard's primary costs on a Redis Cluster: run inside the redis-cluster growth worker,
 * on the filled store and its server.
 *
 * Sessions are written steadily (open loop, WRITES_PER_SECOND) for users whose `{userId}` slot the
 * victim primary serves, while GET /api/session is checked in a loop with cookies on the victim's shard
 * and, separately, on the other shards. After a steady stretch the victim is killed with SIGKILL (no
 * shutdown: its replica gets nothing more). Measured:
 *  - seconds to recover: from the kill to the first check on the victim's shard answering 200 — the
 *    other primaries must mark it failed (`cluster-node-timeout`), its replica win the election, and
 *    the client find the new primary (Redis Cluster specification, "Replica election and promotion");
 *  - sessions lost: of the writes the primary acknowledged in the last second before the kill, how
 *    many the promoted replica does not have (replication is asynchronous: "Write safety");
 *  - the other shards' checks during the outage, which should all answer 200.
 */
import type { Cluster } from "ioredis";
import { createProbe } from "./http-probe";
import { SyntheticSessions, timesFor, type Lifetimes } from "./fill";
import { sealedCookies } from "./pools";
import type { FailoverRun } from "./growth-spec";

const WRITES_PER_SECOND = 500;
const WRITES_IN_FLIGHT = 200;
/** Writing and checking before the kill, so the "last second" is a steady one. */
const STEADY_MS = 3_000;
/** After the victim's shard answers again, checks go on this long (the chart's tail). */
const AFTER_RECOVERY_MS = 2_000;
const GIVE_UP_MS = 60_000;
const CHECK_INTERVAL_MS = 50;
const PROBE_COOKIES = 20;
const LAST_SECOND_MS = 1_000;

interface Write {
  index: number;
  sentAt: number;
  ackedAt: number | null;
  failed: boolean;
}

export async function measureFailover(options: {
  serverUrl: string;
  population: SyntheticSessions;
  size: number;
  lifetimes: Lifetimes;
  log: (line: string) => void;
}): Promise<FailoverRun> {
  const { population, size, log } = options;
  const { config } = await import("@/lib/edge/config");
  const { sessionStore } = await import("@/lib/server/auth/session");
  const { createRedis, whenReady } = await import("@/lib/server/redis/client");
  const { primaryServing, slotOf, topology } = await import("@/lib/server/lab/shards/cluster");
  const { kill, localPidOf } = await import("@/lib/server/lab/shards/kill-primary");
  const settings = config();
  if (settings.redis?.kind !== "cluster") throw new Error("the failover measurement needs REDIS_CLUSTER_NODES");
  const cluster = createRedis(settings.redis, "bench-failover") as Cluster;
  await whenReady(cluster, 5_000);
  const store = sessionStore();
  // During a failover ioredis has been seen to reject a command nobody awaits any more (a command
  // timeout firing after the cluster client retried it). The app's server logs such a rejection and
  // goes on (Next installs process error handlers); this worker counts them instead of exiting.
  let strayRejections = 0;
  const onStray = () => void (strayRejections += 1);
  process.on("unhandledRejection", onStray);

  try {
    const nodes = await topology(cluster);
    const shardOf = new Map<number, string>();
    const ownerOf = async (userId: number) => {
      if (!shardOf.has(userId)) shardOf.set(userId, primaryServing(nodes, await slotOf(cluster, `{${userId}}`))!.id);
      return shardOf.get(userId)!;
    };
    const victim = primaryServing(nodes, await slotOf(cluster, `{${population.userId(0)}}`))!;
    const onVictim: number[] = [];
    const elsewhere: number[] = [];
    for (let i = 0; i < size && (onVictim.length < PROBE_COOKIES || elsewhere.length < PROBE_COOKIES); i++) {
      const list = (await ownerOf(population.userId(i))) === victim.id ? onVictim : elsewhere;
      if (list.length < PROBE_COOKIES) list.push(i);
    }
    const victimUsers = [...new Set(onVictim.map((i) => population.userId(i)))];
    const cookies = {
      "killed shard": await sealedCookies(population, onVictim),
      "other shards": await sealedCookies(population, elsewhere),
    };

    // Writes: new records for users on the victim's shard, derived like the population's.
    const written = new SyntheticSessions(`${population.tag}f`, victimUsers, true);
    const writes: Write[] = [];
    const times = timesFor(options.lifetimes, false);
    let writing = true;
    let inFlight = 0;
    const writer = (async () => {
      const origin = performance.now();
      for (let k = 0; writing; k++) {
        const due = origin + (k * 1000) / WRITES_PER_SECOND;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (inFlight >= WRITES_IN_FLIGHT) continue;
        const write: Write = { index: k, sentAt: performance.now(), ackedAt: null, failed: false };
        writes.push(write);
        inFlight += 1;
        void store
          .create(written.record(k, times))
          .then(
            () => (write.ackedAt = performance.now()),
            () => (write.failed = true),
          )
          .finally(() => (inFlight -= 1));
      }
    })();

    // Checks: one loop per side, one request at a time each, as a client would.
    const timeline: FailoverRun["timeline"] = [];
    let killedAt: number | null = null;
    let recoveredAt: number | null = null;
    let checking = true;
    const checker = (shard: keyof typeof cookies) =>
      (async () => {
        const probe = createProbe(options.serverUrl);
        try {
          for (let k = 0; checking; k++) {
            const started = performance.now();
            const { status } = await probe
              .request("/api/session", { headers: { cookie: cookies[shard][k % cookies[shard].length]! } })
              .catch(() => ({ status: 0 }));
            if (killedAt !== null) {
              timeline.push({ t: Number(((started - killedAt) / 1000).toFixed(3)), shard, status });
              if (shard === "killed shard" && status === 200 && recoveredAt === null) recoveredAt = started;
            } else if (status !== 200) {
              throw new Error(`a check on the ${shard} answered ${status} before the kill`);
            }
            await new Promise((resolve) =>
              setTimeout(resolve, Math.max(0, started + CHECK_INTERVAL_MS - performance.now())),
            );
          }
        } finally {
          probe.close();
        }
      })();
    const checkers = [checker("killed shard"), checker("other shards")];

    await new Promise((resolve) => setTimeout(resolve, STEADY_MS));
    const pid = await localPidOf(victim);
    killedAt = performance.now();
    kill(pid);
    log(`failover: killed the primary ${victim.host}:${victim.port} (pid ${pid}); checking every shard…`);
    while (recoveredAt === null && performance.now() - killedAt < GIVE_UP_MS)
      await new Promise((resolve) => setTimeout(resolve, CHECK_INTERVAL_MS));
    writing = false;
    await new Promise((resolve) => setTimeout(resolve, AFTER_RECOVERY_MS));
    checking = false;
    await Promise.all([writer, ...checkers]);
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, CHECK_INTERVAL_MS));

    // Acknowledged in the last second before the kill: each should have survived.
    const kill0 = killedAt;
    const lastSecond = writes.filter(
      (w) => w.ackedAt !== null && w.sentAt >= kill0 - LAST_SECOND_MS && w.sentAt < kill0,
    );
    let lost = 0;
    for (const write of lastSecond) if (!(await store.get(written.tokenHash(write.index)))) lost += 1;
    const during = (shard: string) => {
      const checks = timeline.filter(
        (c) => c.shard === shard && (recoveredAt === null || c.t * 1000 < recoveredAt - kill0),
      );
      return {
        ok: checks.filter((c) => c.status === 200).length,
        unavailable: checks.filter((c) => c.status === 503).length,
        other: checks.filter((c) => c.status !== 200 && c.status !== 503).length,
      };
    };
    const run: FailoverRun = {
      nodeTimeoutMs: Number(
        ((await cluster.call("CONFIG", "GET", "cluster-node-timeout")) as string[])[1] ?? Number.NaN,
      ),
      sessions: size,
      writesPerSecond: WRITES_PER_SECOND,
      recoverSeconds: recoveredAt === null ? null : Number(((recoveredAt - kill0) / 1000).toFixed(2)),
      writtenLastSecond: lastSecond.length,
      lostLastSecond: lost,
      refusedDuringOutage: writes.filter((w) => w.failed).length,
      victimChecks: during("killed shard"),
      otherShardChecks: during("other shards"),
      timeline,
    };
    if (strayRejections > 0)
      log(`failover: ${strayRejections} client rejection(s) nobody awaited, counted and ignored`);
    log(
      `failover: the shard answered again after ${run.recoverSeconds ?? "—"} s; lost ${lost} of ${lastSecond.length} sessions written in the last second; ` +
        `other shards answered ${run.otherShardChecks.ok} of ${run.otherShardChecks.ok + run.otherShardChecks.unavailable + run.otherShardChecks.other} checks during the outage`,
    );
    return run;
  } finally {
    process.off("unhandledRejection", onStray);
    cluster.disconnect();
  }
}
