/**
 * `npm start`: prepare (secrets in development, config check, migrations, demo accounts, build when
 * stale) and then run the production server. NODE_ENV=production selects production mode: real
 * secrets required, no demo accounts, lab endpoints for admins only.
 *
 * `npm run dev` (`--dev`): the same preparation without the build, then Next's development server
 * behind the same launcher (hot reload; not for measuring anything).
 *
 * It supervises the server: when the server exits with RESTART_EXIT_CODE (the dashboard's Restart
 * experiment asked for a real restart, scripts/server/restart.mjs) it is started again with the same
 * environment; any other exit ends `npm start` with the server's code, as before.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { loadEnvFiles, prepare } from "./lib/prepare";
import { RESTART_EXIT_CODE, SUPERVISED_ENV } from "./server/restart.mjs";
import { selectedGate } from "./server/gate.mjs";
import { GATE_TITLES } from "@/lib/edge/gate/name";

const root = process.cwd();
process.env.AUTHLAB_ENV ||= process.env.NODE_ENV === "production" ? "production" : "development";
const say = (line: string) => console.log(`authlab: ${line}`);

function selectedGateOrExit() {
  try {
    return selectedGate();
  } catch (error) {
    console.error(`Invalid configuration:\n  - ${(error as Error).message}`);
    process.exit(1);
  }
}

const dev = process.argv.includes("--dev");
loadEnvFiles(root);
const gate = selectedGateOrExit();
say(
  `starting in ${process.env.AUTHLAB_ENV} mode${dev ? " (development server)" : ""}, ${GATE_TITLES[dev ? "edge" : gate]} gate`,
);
if (dev && gate === "proxy") say("the development server runs the working tree, whose gate is the Edge middleware");
await prepare(root, say, { build: !dev });

const entry = [path.join(root, "scripts", "server.mjs"), ...(dev ? ["--dev"] : [])];
let server: ChildProcess;
let stopping = false;

function run(): void {
  const env = { ...process.env, [SUPERVISED_ENV]: "1" };
  server = spawn(process.execPath, entry, { stdio: "inherit", env });
  server.on("exit", (code, signal) => {
    if (code === RESTART_EXIT_CODE && !stopping) {
      say("restarting the server (requested by the lab)");
      // The env files again, as a fresh `npm start` would read them: a key added by `npm run keys:rotate`
      // meanwhile is in use after the lab's Restart. The real environment still wins over the files.
      loadEnvFiles(root);
      run();
      return;
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}
run();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopping = true;
    server.kill(signal);
  });
}
