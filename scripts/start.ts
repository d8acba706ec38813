/**
 * `npm start`: prepare (secrets in development, config check, migrations, demo accounts, build when
 * stale) and then run the production server. NODE_ENV=production selects production mode: real
 * secrets required, no demo accounts, lab endpoints for admins only.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { prepare } from "./lib/prepare";

const root = process.cwd();
process.env.AUTHLAB_ENV ||= process.env.NODE_ENV === "production" ? "production" : "development";
const say = (line: string) => console.log(`authlab: ${line}`);

say(`starting in ${process.env.AUTHLAB_ENV} mode`);
await prepare(root, say);

const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
