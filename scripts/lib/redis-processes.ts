/**
 * Starting and stopping Debian's redis-server and redis-sentinel as child processes, on loopback:
 * the cluster demo (npm run cluster) and the test suites share this one implementation.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { freeLoopbackPort } from "./ports";

export interface RedisProcess {
  readonly port: number;
  readonly url: string;
  readonly running: boolean;
  readonly pid: number | undefined;
  /** Starts it again on the same port and directory (after stop()). */
  start(): Promise<void>;
  /** SIGKILL by default: the way a machine dies, not a polite shutdown. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function binaryExists(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/**
 * One round trip of the Redis protocol: true when the server answers PING with PONG, or refuses it
 * for want of a password (it is up; the caller is just not authenticated). LOADING means not yet.
 */
export function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => done(/^(\+PONG|-NOAUTH|-WRONGPASS)/.test(data.toString())));
  });
}

async function waitForPing(
  port: number,
  child: ChildProcess,
  describe: () => string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child))
      throw new Error(`redis on port ${port} exited with ${child.exitCode ?? child.signalCode}:\n${describe()}`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis on port ${port} did not answer within ${timeoutMs} ms:\n${describe()}`);
}

/** True once the process has exited, whether by itself (exitCode) or by a signal (signalCode). */
const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function managed(port: number, launch: () => ChildProcess): RedisProcess {
  let child: ChildProcess | null = null;
  let output = "";
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null && !exited(child);
    },
    get pid() {
      return child?.pid;
    },
    async start() {
      output = "";
      const started = launch();
      child = started;
      started.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
      started.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
      try {
        await waitForPing(port, started, () => output);
      } catch (error) {
        // Never leave a half-started server behind.
        if (!exited(started)) started.kill("SIGKILL");
        child = null;
        throw error;
      }
    },
    async stop(signal: NodeJS.Signals = "SIGKILL") {
      const running = child;
      child = null;
      if (!running || exited(running)) return;
      await new Promise<void>((resolve) => {
        running.once("exit", () => resolve());
        running.kill(signal);
      });
    },
  };
}

export interface RedisServerOptions {
  dir: string;
  port?: number;
  /** Append-only file with fsync on every write: data survives a SIGKILL. */
  persistence?: boolean;
  replicaOf?: { host: string; port: number };
  args?: string[];
}

export async function startRedisServer(options: RedisServerOptions): Promise<RedisProcess> {
  const port = options.port ?? (await freeLoopbackPort());
  mkdirSync(options.dir, { recursive: true });
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    options.dir,
    "--save",
    "",
    "--appendonly",
    options.persistence ? "yes" : "no",
    ...(options.persistence ? ["--appendfsync", "always"] : []),
    ...(options.replicaOf ? ["--replicaof", options.replicaOf.host, String(options.replicaOf.port)] : []),
    ...(options.args ?? []),
  ];
  const server = managed(port, () => spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] }));
  await server.start();
  return server;
}

export interface SentinelOptions {
  dir: string;
  port?: number;
  masterName: string;
  primary: { host: string; port: number };
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
}

/** A Sentinel with its own config file (Sentinel rewrites it as it learns the topology). */
export async function startSentinel(options: SentinelOptions): Promise<RedisProcess> {
  const port = options.port ?? (await freeLoopbackPort());
  mkdirSync(options.dir, { recursive: true });
  const config = path.join(options.dir, `sentinel-${port}.conf`);
  writeFileSync(
    config,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${options.dir}`,
      `sentinel monitor ${options.masterName} ${options.primary.host} ${options.primary.port} ${options.quorum}`,
      `sentinel down-after-milliseconds ${options.masterName} ${options.downAfterMs}`,
      `sentinel failover-timeout ${options.masterName} ${options.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${options.masterName} 1`,
      "",
    ].join("\n"),
  );
  const command = binaryExists("redis-sentinel")
    ? ["redis-sentinel", [config]]
    : ["redis-server", [config, "--sentinel"]];
  const sentinel = managed(port, () =>
    spawn(command[0] as string, command[1] as string[], { stdio: ["ignore", "pipe", "pipe"] }),
  );
  await sentinel.start();
  return sentinel;
}
