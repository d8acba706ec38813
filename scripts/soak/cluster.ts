/**
 * What the soak runs against: its own redis-server (append-only, so sessions outlive a kill), a fresh
 * database (PostgreSQL by default, or SQLite), and two production instances sharing both with
 * SESSION_STORE=redis — each can be killed, drained and started again on its own port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnAppServer, type AppProcess, type ExitStatus } from "@/scripts/lib/app-process";
import { freeLoopbackPort } from "@/scripts/lib/ports";
import { startRedisServer, type RedisProcess } from "@/scripts/lib/redis-processes";
import {
  createScratchDatabase,
  generateMetricsToken,
  generateSecrets,
  isolatedServerEnv,
  type ScratchDatabase,
} from "@/scripts/lib/scratch";
import type { InstanceName } from "./samples";

export interface Instance {
  name: InstanceName;
  url: string;
  readonly running: boolean;
  /** Starts the process and resolves when it reports ready (warm); the milliseconds that took. */
  start(): Promise<number>;
  /** SIGKILL: the way a machine dies. */
  kill(): Promise<ExitStatus>;
  /** SIGTERM and wait for the drain to finish; the milliseconds it took. */
  terminate(): Promise<{ ms: number; status: ExitStatus }>;
  logs(): string;
}

export interface Cluster {
  redis: RedisProcess;
  database: ScratchDatabase;
  instances: Record<InstanceName, Instance>;
  dispose(): Promise<void>;
}

function instance(root: string, name: InstanceName, port: number, env: NodeJS.ProcessEnv): Instance {
  let running: AppProcess | null = null;
  let output = "";
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    get running() {
      return running !== null;
    },
    async start() {
      const started = performance.now();
      output += `--- start ${new Date().toISOString()}\n`;
      const child = spawnAppServer(root, env, (text) => (output = (output + text).slice(-20_000)));
      running = child;
      child.exited.then(() => {
        if (running === child) running = null;
      });
      await child.ready;
      return performance.now() - started;
    },
    async kill() {
      const child = running;
      if (!child) return { code: null, signal: null };
      await child.stop("SIGKILL");
      return child.exited;
    },
    async terminate() {
      const child = running;
      if (!child) return { ms: 0, status: { code: null, signal: null } };
      const started = performance.now();
      // Longer than the drain's own grace period: the drain, not this timer, decides.
      await child.stop("SIGTERM", 60_000);
      return { ms: performance.now() - started, status: await child.exited };
    },
    logs: () => output,
  };
}

export async function startCluster(root: string, databaseKind: ScratchDatabase["kind"]): Promise<Cluster> {
  const redisDir = mkdtempSync(path.join(tmpdir(), "authlab-soak-redis-"));
  const redis = await startRedisServer({ dir: redisDir, persistence: true });
  const database = await createScratchDatabase(root, databaseKind);
  // A production server needs its metrics scrape token to start (lib/server/observability/metrics-required.ts).
  const secrets = { ...(await generateSecrets()), METRICS_TOKEN: generateMetricsToken() };
  const ports = { a: await freeLoopbackPort(), b: await freeLoopbackPort() };
  const envFor = (name: InstanceName) =>
    isolatedServerEnv({
      ...secrets,
      AUTHLAB_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(ports[name]),
      INSTANCE_ID: `soak-${name}`,
      DATABASE_URL: database.url,
      SESSION_STORE: "redis",
      REDIS_URL: redis.url,
      // The soak's clients stand behind a proxy and name their own addresses in X-Forwarded-For.
      TRUST_PROXY_HOPS: "1",
      // They sign up and sign in far more often than people do; failures keep their default limits.
      SIGNUP_MAX_PER_ADDRESS: "100000",
      LOGIN_MAX_PER_ADDRESS: "100000",
    });
  const instances = {
    a: instance(root, "a", ports.a, envFor("a")),
    b: instance(root, "b", ports.b, envFor("b")),
  };
  await Promise.all([instances.a.start(), instances.b.start()]);
  return {
    redis,
    database,
    instances,
    async dispose() {
      await Promise.all([instances.a.kill(), instances.b.kill()]);
      await redis.stop();
      rmSync(redisDir, { recursive: true, force: true });
      await database.dispose();
    },
  };
}
