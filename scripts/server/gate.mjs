/**
 * AUTHLAB_GATE: which gate a build and a server use — `edge` (middleware.ts in the Edge runtime, the
 * default) or `proxy` (the same gate as Next 16's proxy.ts, on Node). Next refuses a tree holding both
 * files, so the proxy build is made in a tree of its own: a copy of the sources under PROXY_TREE with
 * gates/proxy.ts as its proxy.ts, and its own output there (scripts/lib/build.ts). The working tree is
 * never edited; the default build stays what plain `next build && next start` makes.
 *
 * Plain JavaScript: scripts/server.mjs runs with `node` and needs it before Next is loaded.
 */
import path from "node:path";

export const GATES = ["edge", "proxy"];

/** The proxy build's tree, inside the project (so Node resolves node_modules from it) and git-ignored. */
export const PROXY_TREE = ".next-proxy";

/** The gate asked for, or an Error that names the variable. */
export function selectedGate(env = process.env) {
  const raw = (env.AUTHLAB_GATE ?? "").trim();
  if (raw === "") return "edge";
  if (!GATES.includes(raw)) throw new Error(`AUTHLAB_GATE: expected "edge" or "proxy", got "${raw.slice(0, 40)}"`);
  return raw;
}

/** The directory Next builds and serves for a gate: the project itself, or the proxy tree. */
export function projectDirOf(root, gate) {
  return gate === "proxy" ? path.join(root, PROXY_TREE) : root;
}
