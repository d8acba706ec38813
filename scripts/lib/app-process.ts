/**
 * Runs one production instance (scripts/server.mjs) as a child process and resolves once it prints
 * its ready line. Shared by the cluster demo, the benchmark and the test harness.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { projectDirOf, selectedGate } from "../server/gate.mjs";

/**
 * scripts/server.mjs (the server `npm start` runs), Next's own `next start`, or `npm start` itself
 * (scripts/start.ts: prepare — secrets, migrations, demo accounts — then scripts/server.mjs).
 */
export type Launcher = "authlab" | "next-start" | "npm-start";

/** The launcher's ready line, or `next start`'s ("✓ Ready in 312ms"). */
const READY = /ready on http|✓ Ready in/;

export interface AppProcess {
  child: ChildProcess;
  /** Resolves when the server is listening; rejects if it exits first or takes too long. */
  ready: Promise<void>;
  /** Resolves with how the process exited, whenever it does. */
  exited: Promise<ExitStatus>;
  /** SIGTERM (or `signal`), then SIGKILL after `killAfterMs` (5 s); resolves when the process has exited. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<void>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function entryOf(root: string, env: NodeJS.ProcessEnv, launcher: Launcher): string[] {
  switch (launcher) {
    case "next-start":
      // Plain `next start`, as most deployments run Next: nothing of scripts/server.mjs in front. The
      // proxy gate's build lives in a tree of its own (scripts/server/gate.mjs).
      return [
        path.join(root, "node_modules", "next", "dist", "bin", "next"),
        "start",
        projectDirOf(root, selectedGate(env)),
        "--hostname",
        env.HOST ?? "127.0.0.1",
        "--port",
        env.PORT ?? "3000",
      ];
    case "npm-start":
      // What package.json's "start" runs, without npm in between (so signals reach it directly).
      return [
        path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
        "--conditions=react-server",
        path.join(root, "scripts", "start.ts"),
      ];
    case "authlab":
      return [path.join(root, "scripts", "server.mjs")];
  }
}

export function spawnAppServer(
  root: string,
  env: NodeJS.ProcessEnv,
  onOutput: (text: string) => void,
  options: { timeoutMs?: number; nodeArgs?: string[]; cpu?: number; launcher?: Launcher } = {},
): AppProcess {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const entry = entryOf(root, env, options.launcher ?? "authlab");
  const node = [process.execPath, ...(options.nodeArgs ?? []), ...entry];
  // Pinned to one CPU (taskset) when asked: the benchmark keeps the load generator off the server's core.
  const [command, ...args] = options.cpu === undefined ? node : ["taskset", "-c", String(options.cpu), ...node];
  const child = spawn(command!, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let seen = "";
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start within ${timeoutMs} ms:\n${seen}`)),
      timeoutMs,
    );
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      seen = (seen + text).slice(-8000);
      onOutput(text);
      if (READY.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${seen}`));
    });
  });
  ready.catch(() => undefined);
  const exited = new Promise<ExitStatus>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    ready,
    exited,
    stop(signal: NodeJS.Signals = "SIGTERM", killAfterMs = 5000) {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill(signal);
      });
    },
  };
}
