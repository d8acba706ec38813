/**
 * Drives Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm) through a
 * driver adapter, for the two things authlab needs from it offline:
 *   - the SQL that turns one schema into another (writing a new migration), and
 *   - the drift check: is a database built from our migrations exactly what schema.prisma says?
 * The Prisma 7 CLI only drives the Rust binary, which cannot be downloaded here.
 *
 * Development and test tooling only; the app applies migrations with lib/server/db/migrations.ts.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};
type EngineModule = {
  SchemaEngine: { new: (options: unknown, log: (message: string) => void, adapter: object) => Promise<Engine> };
  __wbg_set_wasm(exports: unknown): void;
};

let engineModule: Promise<EngineModule> | undefined;

async function loadEngineModule(): Promise<EngineModule> {
  const runtime = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as EngineModule;
  const require = createRequire(import.meta.url);
  const wasmPath = path.join(
    path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
    "schema_engine_bg.wasm",
  );
  const instance = new WebAssembly.Instance(new WebAssembly.Module(await readFile(wasmPath)), {
    "./schema_engine_bg.js": runtime as unknown as WebAssembly.ModuleImports,
  });
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return runtime;
}

type Connection = Awaited<ReturnType<SqlMigrationAwareDriverAdapterFactory["connect"]>>;

/**
 * Remembers every connection the engine opens so they can be closed: `engine.free()` does not, and on
 * SQLite the engine leaves its connection in locking_mode=EXCLUSIVE. On PostgreSQL, adapter-pg cannot
 * decode the internal `"char"` type (OID 18) that the engine's pg_constraint query returns; it is text.
 */
function trackConnections(inner: SqlMigrationAwareDriverAdapterFactory) {
  const opened: Connection[] = [];
  const remember = (connection: Connection) => {
    opened.push(connection);
    if (inner.provider === "postgres") {
      const pool = (connection as unknown as { underlyingDriver(): unknown }).underlyingDriver() as {
        query: (...args: unknown[]) => Promise<unknown>;
        __authlabCharAsText?: true;
      };
      if (!pool.__authlabCharAsText) {
        const query = pool.query.bind(pool);
        pool.query = async (...args: unknown[]) => {
          const result = await query(...args);
          for (const set of Array.isArray(result) ? result : [result]) {
            for (const field of (set as { fields?: { dataTypeID: number }[] })?.fields ?? []) {
              if (field.dataTypeID === 18) field.dataTypeID = 25;
            }
          }
          return result;
        };
        pool.__authlabCharAsText = true;
      }
    }
    return connection;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => remember(await inner.connect()),
    connectToShadowDb: async () => remember(await inner.connectToShadowDb()),
  };
  const closeAll = async () => {
    for (const connection of opened.splice(0).reverse()) await connection.dispose().catch(() => undefined);
  };
  return { factory, closeAll };
}

export interface SchemaEngineSession {
  /** SQL turning an empty database into `schemaPath`. */
  sqlFromEmpty(): Promise<string>;
  /** SQL turning the connected database into `schemaPath`; "" when they already match. */
  sqlFromDatabase(): Promise<string>;
}

export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schemaPath: string,
  fn: (session: SchemaEngineSession) => Promise<T>,
): Promise<T> {
  engineModule ??= loadEngineModule();
  const runtime = await engineModule;
  const schemaText = await readFile(schemaPath, "utf8");
  const files = [{ path: schemaPath, content: schemaText }];
  const { factory, closeAll } = trackConnections(adapterFactory);
  const engine = await runtime.SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  const filters = { externalTables: [], externalEnums: [] };
  const to = { tag: "schemaDatamodel", files };
  try {
    return await fn({
      async sqlFromEmpty() {
        const result = await engine.diff({ from: { tag: "empty" }, to, script: true, exitCode: null, filters });
        return result.stdout ?? "";
      },
      async sqlFromDatabase() {
        const from = { tag: "schemaDatasource", files, configDir: path.dirname(schemaPath) };
        const result = await engine.diff({ from, to, script: true, exitCode: true, filters });
        return result.exitCode === 0 ? "" : (result.stdout ?? "");
      },
    });
  } finally {
    engine.free();
    await closeAll();
  }
}
