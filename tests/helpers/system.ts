/**
 * System dependencies of the test suites. Locally a missing one skips the suite with a message;
 * under CI=true it is a failure (.ci/run installs them), never a silent skip.
 */
import { spawnSync } from "node:child_process";

export function hasBinary(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

export function requireBinary(name: string, install: string): boolean {
  if (hasBinary(name)) return true;
  const message = `${name} is not installed (${install})`;
  if (process.env.CI === "true") throw new Error(`${message}; CI requires it`);
  console.warn(`skipping: ${message}`);
  return false;
}
