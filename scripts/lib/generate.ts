/**
 * Generates the Prisma client without Prisma's engine binaries. `prisma generate` itself needs no
 * engine, but the CLI looks for the schema engine at start-up and would try to download it; pointing
 * PRISMA_SCHEMA_ENGINE_BINARY at a stub that fails loudly satisfies the check (and makes any command
 * that really needs the engine fail instead of silently doing nothing).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const SCHEMAS = [
  { schema: "prisma/schema.prisma", output: "lib/generated/sqlite" },
  { schema: "prisma/postgresql/schema.prisma", output: "lib/generated/postgresql" },
];

function digest(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

export function generatePrismaClients(root: string, { force = false } = {}): void {
  for (const { schema, output } of SCHEMAS) {
    const stamp = path.join(root, output, ".schema-digest");
    const current = digest(path.join(root, schema));
    if (
      !force &&
      existsSync(path.join(root, output, "client.ts")) &&
      existsSync(stamp) &&
      readFileSync(stamp, "utf8") === current
    )
      continue;
    const result = spawnSync(path.join(root, "node_modules", ".bin", "prisma"), ["generate", "--schema", schema], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts", "no-schema-engine.sh"),
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
    });
    if (result.status !== 0)
      throw new Error(`prisma generate failed for ${schema} (exit ${result.status ?? result.signal})`);
    writeFileSync(stamp, current);
  }
}
