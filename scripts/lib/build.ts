/**
 * Builds the production bundle for a gate (AUTHLAB_GATE, scripts/server/gate.mjs) when it is missing
 * or older than the sources. "Older" is decided by a digest of every input file, not by timestamps, so
 * a fresh clone or a `git checkout` is judged by content.
 *
 * The Edge gate builds in the project itself (`.next/`, what plain `next build` makes). The proxy gate
 * builds in a tree of its own: the sources copied under .next-proxy/ with gates/proxy.ts as its
 * proxy.ts, output in .next-proxy/.next/. Next refuses one tree with both middleware.ts and proxy.ts,
 * and a build must not edit the working tree, so the copy is the proxy build's working tree. Each gate
 * keeps its own output: switching gates rebuilds neither.
 */
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { projectDirOf, selectedGate, type GateName } from "../server/gate.mjs";

const INPUT_DIRECTORIES = ["app", "components", "lib", "public"];
/** Copied into the proxy tree. Not the lockfile: the tree must not look like a project root of its own. */
const TREE_FILES = [
  "instrumentation.ts",
  "instrumentation.node.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
];
const DIGEST_FILES = [...TREE_FILES, "package-lock.json"];
/** The file that makes a tree one gate's build, and its name inside that tree. */
const GATE_ENTRY: Record<GateName, { source: string; target: string }> = {
  edge: { source: "middleware.ts", target: "middleware.ts" },
  proxy: { source: path.join("gates", "proxy.ts"), target: "proxy.ts" },
};
const distDir = () => process.env.AUTHLAB_DIST_DIR || ".next";
const stampFile = (root: string, gate: GateName) =>
  path.join(projectDirOf(root, gate), distDir(), "authlab-build-stamp");

function filesUnder(root: string, directory: string): string[] {
  const absolute = path.join(root, directory);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

export function sourceDigest(root: string, gate: GateName = selectedGate()): string {
  const hash = createHash("sha256").update(`gate:${gate}\0`);
  const files = [
    ...INPUT_DIRECTORIES.flatMap((d) => filesUnder(root, d)),
    ...DIGEST_FILES.filter((f) => existsSync(path.join(root, f))),
    GATE_ENTRY[gate].source,
  ];
  for (const file of files.sort()) {
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(path.join(root, file)))
      .update("\0");
  }
  return hash.digest("hex");
}

export function buildIsCurrent(root: string, gate: GateName = selectedGate()): boolean {
  const stamp = stampFile(root, gate);
  return (
    existsSync(path.join(projectDirOf(root, gate), distDir(), "BUILD_ID")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === sourceDigest(root, gate)
  );
}

/** Refreshes the proxy build's tree from the working tree, keeping its build output (and Next's cache). */
function copyProxyTree(root: string): string {
  const tree = projectDirOf(root, "proxy");
  mkdirSync(tree, { recursive: true });
  for (const entry of readdirSync(tree)) {
    if (!entry.startsWith(".next")) rmSync(path.join(tree, entry), { recursive: true, force: true });
  }
  for (const directory of INPUT_DIRECTORIES) {
    if (existsSync(path.join(root, directory)))
      cpSync(path.join(root, directory), path.join(tree, directory), { recursive: true });
  }
  for (const file of TREE_FILES) copyFileSync(path.join(root, file), path.join(tree, file));
  copyFileSync(path.join(root, GATE_ENTRY.proxy.source), path.join(tree, GATE_ENTRY.proxy.target));
  return tree;
}

/** `extraArgs`: e.g. --no-mangling for a build whose CPU profiles show real function names. */
export function build(root: string, extraArgs: string[] = [], gate: GateName = selectedGate()): void {
  const digest = sourceDigest(root, gate);
  const started = Date.now();
  const tree = gate === "proxy" ? copyProxyTree(root) : root;
  const result = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build", tree, ...extraArgs], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stampFile(root, gate), digest);
  console.log(`Built the production bundle (${gate} gate) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
