/**
 * After a run: the charts beside the results file, and — for the project's own results file — the
 * figures in README.md and bench/README.md. The READMEs hold generated tables between marker comments
 * (`<!-- bench:NAME -->` … `<!-- /bench:NAME -->`); everything outside the markers is prose that a
 * person writes, and it refers to these tables rather than repeating their numbers.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as prettier from "prettier";
import { writeCharts, type ChartInput } from "./charts";
import { readmeTables, type TableInput } from "./readme-tables";

export type Results = ChartInput & TableInput & Record<string, unknown>;

/**
 * What the growth runs (`--growth`, and `--growth --stores redis-cluster`) wrote into the results file.
 * A default run rewrites the file and keeps these as they were: they take many minutes to measure and
 * a default run measures none of them. (The cluster's section was once left out of this list, and every
 * default run silently dropped the cluster's growth and failover figures.)
 */
export const GROWTH_SECTIONS = ["growth", "strictGrowth", "sweep", "growthRun", "redisCluster"] as const;

export function keptGrowthSections(recorded: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(GROWTH_SECTIONS.filter((key) => key in recorded).map((key) => [key, recorded[key]]));
}

export function readResults(file: string): Results | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8")) as Results;
}

function replaceBlock(text: string, name: string, body: string): string | null {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) return null;
  return `${text.slice(0, from + start.length)}\n\n${body.trim()}\n\n${text.slice(to)}`;
}

async function updateReadme(root: string, file: string, tables: Record<string, string>, log: (line: string) => void) {
  let text = readFileSync(file, "utf8");
  const updated: string[] = [];
  for (const [name, body] of Object.entries(tables)) {
    const next = replaceBlock(text, name, body);
    if (next === null) continue;
    text = next;
    updated.push(name);
  }
  if (updated.length === 0) return;
  // The tables are written plainly; Prettier aligns them as it does every Markdown file in the repo.
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
  log(`updated ${path.relative(root, file)}: ${updated.join(", ")}`);
}

export async function publishResults(
  root: string,
  out: string,
  results: Results,
  log: (line: string) => void,
  options: { readmes?: boolean } = {},
): Promise<void> {
  const chartDir = path.join(path.dirname(out), "charts");
  await writeCharts(results, chartDir);
  log(`drew the charts in ${path.relative(root, chartDir) || chartDir}`);
  // Only the project's own results feed its READMEs: a --quick or --out run never rewrites them.
  const ownResults = path.resolve(out) === path.join(root, "bench", "results.json");
  if (!ownResults || options.readmes === false) return;
  const tables = readmeTables(results);
  await updateReadme(root, path.join(root, "README.md"), tables, log);
  await updateReadme(root, path.join(root, "bench", "README.md"), tables, log);
}
