/**
 * The Edge middleware's whole import graph, resolved the way a bundler resolves it: it must reach no
 * server-only module and nothing that needs Node (docs/design.md, "Finding your way in the code"). ESLint refuses such an import where
 * it is written; this proves the transitive graph, including what packages pull in.
 */
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

async function edgeGraph(): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(ROOT, "middleware.ts")],
    bundle: true,
    write: false,
    metafile: true,
    platform: "neutral",
    format: "esm",
    mainFields: ["module", "main"],
    conditions: ["edge-light", "worker", "browser"],
    alias: { "@": ROOT },
    // Next provides these to middleware itself.
    external: ["next", "next/*"],
    logLevel: "silent",
  });
  return Object.keys(result.metafile.inputs);
}

describe("the Edge middleware's import graph", () => {
  it("contains only Web-API code: no lib/server, no Node built-ins, no database, Redis or iron-session", async () => {
    const inputs = await edgeGraph();
    expect(inputs).toContain("middleware.ts");
    expect(inputs.some((file) => file.startsWith("lib/edge/"))).toBe(true);
    const forbidden = inputs.filter((file) =>
      /^lib\/(server|generated|ui)\/|node_modules\/(iron-session|iron-webcrypto|ioredis|pg|better-sqlite3|@prisma|@node-rs|server-only|prom-client)\//.test(
        file,
      ),
    );
    expect(forbidden).toEqual([]);
  });
});
