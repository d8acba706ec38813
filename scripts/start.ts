/**
 * `npm start`: prepare (secrets in development, config check, migrations, demo accounts, build when
 * stale) and then run the production server. NODE_ENV=production selects production mode: real
 * secrets required, no demo accounts, lab endpoints for admins only.
 *
 * `npm run dev` (`--dev`): the same preparation without the build, then Next's development server
 * behind the same launcher (hot reload; not for measuring anything).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { prepare } from "./lib/prepare";

const root = process.cwd();
process.env.AUTHLAB_ENV ||= process.env.NODE_ENV === "production" ? "production" : "development";
const say = (line: string) => console.log(`authlab: ${line}`);

const dev = process.argv.includes("--dev");
say(`starting in ${process.env.AUTHLAB_ENV} mode${dev ? " (development server)" : ""}`);
await prepare(root, say, { build: !dev });

const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs"), ...(dev ? ["--dev"] : [])], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
