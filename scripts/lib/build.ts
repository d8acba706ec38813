/**
 * Builds the production bundle when it is missing or older than the sources. "Older" is decided by
 * a digest of every input file, not by timestamps, so a fresh clone or a `git checkout` is judged by
 * content.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const INPUT_DIRECTORIES = ["app", "components", "lib", "public"];
const INPUT_FILES = [
  "middleware.ts",
  "instrumentation.ts",
  "instrumentation.node.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const distDir = () => process.env.AUTHLAB_DIST_DIR || ".next";
const stampFile = () => path.join(distDir(), "authlab-build-stamp");

function filesUnder(root: string, directory: string): string[] {
  const absolute = path.join(root, directory);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

export function sourceDigest(root: string): string {
  const hash = createHash("sha256");
  const files = [
    ...INPUT_DIRECTORIES.flatMap((d) => filesUnder(root, d)),
    ...INPUT_FILES.filter((f) => existsSync(path.join(root, f))),
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

export function buildIsCurrent(root: string): boolean {
  const stamp = path.join(root, stampFile());
  return (
    existsSync(path.join(root, distDir(), "BUILD_ID")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === sourceDigest(root)
  );
}

/** `extraArgs`: e.g. --no-mangling for a build whose CPU profiles show real function names. */
export function build(root: string, extraArgs: string[] = []): void {
  const digest = sourceDigest(root);
  const started = Date.now();
  const result = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build", ...extraArgs], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(path.join(root, stampFile()), digest);
  console.log(`Built the production bundle in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
