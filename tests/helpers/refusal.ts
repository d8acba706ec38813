/**
 * A server that must refuse to start: launched with exactly these variables, it should exit on its own
 * (with a message) instead of becoming ready.
 */
import { isolatedServerEnv } from "@/scripts/lib/scratch";
import { spawnAppServer, type Launcher } from "@/scripts/lib/app-process";
import { freePort } from "./ports";

const EXIT_WAIT_MS = 45_000;

/** Resolves with the exit code ("running" if it did not exit in time; it is stopped then) and its output. */
export async function refusal(dir: string, launcher: Launcher, values: Record<string, string>) {
  const port = String(await freePort());
  let output = "";
  const child = spawnAppServer(
    dir,
    isolatedServerEnv({ HOST: "127.0.0.1", INSTANCE_ID: `refused-${port}`, ...values, PORT: port }),
    (text) => (output += text),
    { launcher, timeoutMs: 90_000 },
  );
  child.ready.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.child.once("exit", (code) => resolve(code)));
  const code = await Promise.race([
    exited,
    new Promise<"running">((r) => setTimeout(() => r("running"), EXIT_WAIT_MS)),
  ]);
  await child.stop();
  return { code, output };
}
