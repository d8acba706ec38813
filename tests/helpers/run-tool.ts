/**
 * Runs one of the project's tsx scripts (bench/run.ts, scripts/soak.ts) to completion, asynchronously.
 * spawnSync would block this vitest worker for the whole run, and a worker that does not answer its
 * runner for 60 s fails a green run with "Timeout calling onTaskUpdate" (vitest-dev/vitest#11082: the
 * worker RPC timeout is fixed at 60 s).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { ROOT } from "./app-server";

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runTool(script: string, args: string[], timeoutMs: number): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["--conditions=react-server", script, ...args],
      { cwd: ROOT, encoding: "utf8", timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ status: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}
