/**
 * `npm run cluster`: the seed note's "session cluster", running. Starts redis-server with persistence
 * (append-only, fsync always) and two production instances of authlab sharing the database, the
 * secrets and Redis (SESSION_STORE=redis). Each instance names itself in every response, and each
 * dashboard can send requests to the other.
 *
 * `npm run cluster -- --ha`: Redis is a primary, one replica and three Sentinels; the instances find
 * the primary through the Sentinels, so killing the primary is survived after a failover.
 *
 * `npm run cluster -- --sharded`: a Redis Cluster — six redis-server processes in cluster mode (three
 * primaries, three replicas, append-only) made into one with `redis-cli --cluster create` — and the
 * instances shard sessions over it by hash slot (REDIS_CLUSTER_NODES). A killed primary's replica is
 * promoted; the killed node is started again a few seconds later and rejoins as a replica.
 *
 * Ctrl-C stops everything this started. Options: --port <first app port> (3001), --redis-port (6380;
 * with --sharded the six nodes take it and the five ports after it).
 */
import { parseArgs } from "node:util";
import { rmSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { Redis } from "ioredis";
import { prepare } from "./lib/prepare";
import { spawnAppServer, type AppProcess } from "./lib/app-process";
import { binaryExists, startRedisServer, startSentinel, type RedisProcess } from "./lib/redis-processes";
import { CLUSTER_NODE_COUNT, startRedisCluster, type RedisCluster } from "./lib/redis-cluster";
import { portInUse } from "./lib/ports";
import { selectedGate } from "./server/gate.mjs";
import { GATE_TITLES } from "@/lib/edge/gate/name";

const MASTER_NAME = "authlab";
const { values } = parseArgs({
  options: {
    ha: { type: "boolean", default: false },
    sharded: { type: "boolean", default: false },
    port: { type: "string", default: "3001" },
    "redis-port": { type: "string", default: "6380" },
  },
});
const root = process.cwd();
const appPorts = [Number(values.port), Number(values.port) + 1];
const redisPort = Number(values["redis-port"]);
const say = (line: string) => console.log(`cluster: ${line}`);

function requireRedisBinaries() {
  if (!binaryExists("redis-server") || (values.sharded && !binaryExists("redis-cli"))) {
    console.error(
      "cluster: redis-server is not installed. Install it, then run again:\n" +
        "  Debian/Ubuntu: sudo apt-get install redis-server redis-sentinel redis-tools\n" +
        "  macOS:         brew install redis",
    );
    process.exit(1);
  }
}

async function requireFreePorts(ports: number[]) {
  for (const port of ports) {
    if (await portInUse(port)) {
      console.error(
        `cluster: port ${port} is already in use on 127.0.0.1; stop what uses it or pass --port / --redis-port.`,
      );
      process.exit(1);
    }
  }
}

async function main() {
  requireRedisBinaries();
  process.env.AUTHLAB_ENV ||= process.env.NODE_ENV === "production" ? "production" : "development";
  if (values.ha && values.sharded) {
    console.error("cluster: choose one of --ha (Sentinel) and --sharded (Redis Cluster)");
    process.exit(1);
  }
  const sentinelPorts = values.ha ? [redisPort + 20000, redisPort + 20001, redisPort + 20002] : [];
  const redisPorts = values.sharded
    ? Array.from({ length: CLUSTER_NODE_COUNT }, (_, i) => redisPort + i)
    : values.ha
      ? [redisPort, redisPort + 1]
      : [redisPort];
  await requireFreePorts([...appPorts, ...redisPorts, ...sentinelPorts]);
  const settings = await prepare(root, say);
  if (settings.database.kind === "sqlite")
    say(
      `instances share the SQLite file ${settings.database.url} (one machine); use a postgresql:// DATABASE_URL across machines`,
    );

  const started: (RedisProcess | AppProcess)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping everything it started…");
    for (const item of started.reverse()) await ("child" in item ? item.stop() : item.stop("SIGTERM"));
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    const dataDir = path.join(root, "data", "cluster");
    let primary: RedisProcess;
    let sharded: RedisCluster | null = null;
    let redisEnv: Record<string, string>;
    if (values.sharded) {
      // A node remembers its cluster in nodes.conf; `--cluster create` needs empty nodes, so each run starts afresh.
      const shardDir = path.join(dataDir, "sharded");
      rmSync(shardDir, { recursive: true, force: true });
      say(
        `starting ${CLUSTER_NODE_COUNT} redis-server nodes in cluster mode and joining them (redis-cli --cluster create)…`,
      );
      sharded = await startRedisCluster({ dir: shardDir, ports: redisPorts });
      started.push(...sharded.processes);
      primary = await sharded.primaryOf(0);
      redisEnv = { REDIS_CLUSTER_NODES: sharded.seeds, REDIS_URL: "" };
    } else {
      primary = await startRedisServer({
        dir: path.join(dataDir, `redis-${redisPort}`),
        port: redisPort,
        persistence: true,
      });
      started.push(primary);
      redisEnv = { REDIS_URL: primary.url };
    }
    if (values.ha) {
      const replica = await startRedisServer({
        dir: path.join(dataDir, `redis-${redisPort + 1}`),
        port: redisPort + 1,
        persistence: true,
        replicaOf: { host: "127.0.0.1", port: redisPort },
      });
      started.push(replica);
      for (const port of sentinelPorts) {
        started.push(
          await startSentinel({
            dir: path.join(dataDir, `sentinel-${port}`),
            port,
            masterName: MASTER_NAME,
            primary: { host: "127.0.0.1", port: redisPort },
            quorum: 2,
            downAfterMs: 1000,
            failoverTimeoutMs: 5000,
          }),
        );
      }
      redisEnv = {
        REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(","),
        REDIS_MASTER_NAME: MASTER_NAME,
        REDIS_URL: "",
      };
    }

    const origins = (port: number) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
    const names = ["a", "b"];
    for (const [i, port] of appPorts.entries()) {
      const peers = appPorts.filter((p) => p !== port).flatMap(origins);
      const instance = spawnAppServer(
        root,
        {
          ...process.env,
          ...redisEnv,
          PORT: String(port),
          HOST: "127.0.0.1",
          SESSION_STORE: "redis",
          INSTANCE_ID: `authlab-${names[i]}`,
          CORS_ORIGINS: peers.join(","),
        },
        prefixLines(`[${names[i]}] `),
      );
      started.push(instance);
      await instance.ready;
    }

    const pidOfA = (started.find((s) => "child" in s) as AppProcess).child.pid;
    const redisLine = sharded
      ? `Redis Cluster on 127.0.0.1:${redisPorts[0]}–${redisPorts.at(-1)} (3 primaries, 3 replicas)`
      : values.ha
        ? `primary 127.0.0.1:${redisPort}, replica :${redisPort + 1}, sentinels :${sentinelPorts.join(", :")}`
        : `127.0.0.1:${redisPort}`;
    const killRedisStep = sharded
      ? 'On the dashboard, run "Kill a shard\'s primary" (or type "stop redis" below: the primary of slot 0): ' +
        "that shard's sessions answer 503 until its replica is promoted, the other shards never notice."
      : values.ha
        ? `Kill the primary (type "stop redis" below, or kill ${primary.pid}): after the Sentinels' failover ` +
          "(a few seconds) sessions work again, no restart."
        : 'Kill Redis (type "stop redis" below): pages answer 503 while /api/me with a JWT still works. ' +
          '"start redis": sessions come back.';
    console.log(`
authlab cluster is up (${GATE_TITLES[selectedGate()]} gate: AUTHLAB_GATE)
  instance a   http://localhost:${appPorts[0]}   (pid ${pidOfA})
  instance b   http://localhost:${appPorts[1]}
  redis        ${redisLine} (append-only, data/cluster/)

Try it:
  1. Sign in on instance a, then open instance b: the same session (it lives in Redis, not in a).
  2. On a's dashboard, run "Another instance": b answers with your cookie and your token.
  3. Kill instance a (kill ${pidOfA}): b still knows you.
  4. ${killRedisStep}

Type a command and Enter: "stop a", "start a", "stop b", "start b", "stop redis", "start redis"${values.ha ? " (the primary)" : sharded ? " (a primary; a killed node is also started again by itself once its replica has taken over)" : ""}.
Ctrl-C stops everything.
`);

    if (values.ha) watchFailovers(sentinelPorts[0]!);
    if (sharded) restartKilledNodes(sharded, () => stopping);
    const apps = new Map(
      names.map((name, i) => [
        name,
        { port: appPorts[i]!, process: started.filter((s): s is AppProcess => "child" in s)[i]! },
      ]),
    );
    const controls = readline.createInterface({ input: process.stdin });
    controls.on(
      "line",
      (line) =>
        void control(line.trim(), {
          apps,
          redis: primary,
          sharded,
          redisEnv,
          names,
          origins,
          track: (p) => started.push(p),
        }),
    );
  } catch (error) {
    console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

type Apps = Map<string, { port: number; process: AppProcess }>;

/** Stops and starts parts of the cluster from the keyboard, to watch each failure happen. */
interface Cluster {
  apps: Apps;
  redis: RedisProcess;
  /** With --sharded: "stop redis" kills the primary that owns slot 0 now. */
  sharded: RedisCluster | null;
  redisEnv: Record<string, string>;
  names: string[];
  origins: (port: number) => string[];
  /** Remembers a restarted instance so Ctrl-C stops it too. */
  track: (process: AppProcess) => void;
}

async function control(command: string, { apps, redis, sharded, redisEnv, names, origins, track }: Cluster) {
  const [verb, target] = command.split(/\s+/);
  try {
    if (target === "redis" && sharded) {
      if (verb === "stop") {
        const victim = await sharded.primaryOf(0);
        await victim.stop("SIGKILL");
        return say(`killed the primary :${victim.port} (slot 0's shard); its replica takes over in a few seconds`);
      }
      if (verb === "start") return void (await sharded.restartStopped());
      return say('use "stop redis" or "start redis"');
    }
    if (target === "redis") {
      if (verb === "stop") await redis.stop("SIGKILL");
      else if (verb === "start") await redis.start();
      else return say('use "stop redis" or "start redis"');
      return say(
        `redis ${verb === "stop" ? "killed" : "started again (its append-only file brings the sessions back)"}`,
      );
    }
    const app = target ? apps.get(target) : undefined;
    if (!app || (verb !== "stop" && verb !== "start")) return say(`commands: stop|start ${names.join("|")}|redis`);
    if (verb === "stop") {
      await app.process.stop("SIGKILL");
      return say(`instance ${target} killed`);
    }
    if (app.process.child.exitCode === null && app.process.child.signalCode === null)
      return say(`instance ${target} is running`);
    const peers = [...apps.values()].filter((a) => a !== app).flatMap((a) => origins(a.port));
    app.process = spawnAppServer(
      root,
      {
        ...process.env,
        ...redisEnv,
        PORT: String(app.port),
        HOST: "127.0.0.1",
        SESSION_STORE: "redis",
        INSTANCE_ID: `authlab-${target}`,
        CORS_ORIGINS: peers.join(","),
      },
      prefixLines(`[${target}] `),
    );
    track(app.process);
    await app.process.ready;
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
  }
}

/** Writes a child's output line by line, each line tagged with the instance it came from. */
function prefixLines(prefix: string) {
  let pending = "";
  return (text: string) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) process.stdout.write(`${prefix}${line}\n`);
  };
}

/**
 * A killed cluster node is started again once the cluster has failed over from it: every slot is
 * served again and the node no longer owns any (its replica was promoted). Then it reads its
 * nodes.conf, learns it lost its slots and rejoins as the new primary's replica, so the next kill has a
 * replica to fail over to. Started any earlier, it would come back as the same primary and no failover
 * would happen at all; a node that nothing took over from (it had no replica) is started after a minute.
 */
function restartKilledNodes(cluster: RedisCluster, stopping: () => boolean) {
  const NO_FAILOVER_AFTER_MS = 60_000;
  const downSince = new Map<number, number>();
  let busy = false;
  setInterval(() => {
    if (busy || stopping()) return;
    const down = cluster.processes.filter((p) => !p.running);
    for (const process of cluster.processes) if (process.running) downSince.delete(process.port);
    if (down.length === 0) return;
    for (const process of down) if (!downSince.has(process.port)) downSince.set(process.port, Date.now());
    busy = true;
    void (async () => {
      const topology = await cluster.topology().catch(() => []);
      const served = await cluster.waitHealthy({ timeoutMs: 0, replicas: false }).then(
        () => true,
        () => false,
      );
      for (const process of down) {
        const node = topology.find((n) => n.port === process.port);
        const replaced = served && node !== undefined && node.slots.length === 0;
        const stuck = Date.now() - downSince.get(process.port)! > NO_FAILOVER_AFTER_MS;
        if (stopping() || (!replaced && !stuck)) continue;
        await process.start();
        say(
          `${new Date().toISOString()} started :${process.port} again; ${replaced ? "it rejoins as a replica" : "no replica had taken over, so it serves its slots again"}`,
        );
      }
    })()
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 1000).unref();
}

/** Prints each primary switch the Sentinels announce, with the time it was seen. */
function watchFailovers(sentinelPort: number) {
  const subscriber = new Redis({
    host: "127.0.0.1",
    port: sentinelPort,
    lazyConnect: false,
    maxRetriesPerRequest: null,
  });
  subscriber.on("error", () => undefined);
  void subscriber.subscribe("+switch-master", "+sdown", "-sdown");
  subscriber.on("message", (channel: string, message: string) =>
    say(`${new Date().toISOString()} sentinel ${channel} ${message}`),
  );
}

await main();
