/**
 * PostgreSQL for deployments beyond one machine: migrations that produce exactly the derived schema,
 * a clear refusal to start when the database cannot be reached, and 503s — not hangs, not crashes —
 * when it goes away or stops answering while the app runs, with recovery when it returns.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { checksumOf, migrationsDirectory, readMigrations } from "@/lib/server/db/migrations";
import { migratePostgres } from "@/lib/server/db/migrate-postgres";
import { withSchemaEngine } from "@/scripts/db/schema-engine";
import { POSTGRES_ADMIN_URL, postgresReachable } from "@/scripts/lib/scratch";
import {
  ROOT,
  createTestDatabase,
  startAppServer,
  testSecrets,
  type AppServer,
  type TestDatabase,
} from "../helpers/app-server";
import { Client, signUp } from "../helpers/http-client";
import { freePort } from "../helpers/ports";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";

const reachable = await postgresReachable();
if (!reachable) {
  const message = `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}`;
  if (process.env.CI === "true") throw new Error(`${message}; CI requires it`);
  console.warn(`skipping: ${message}`);
}

describe.runIf(reachable)("PostgreSQL migrations", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("postgresql");
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("build a database that Prisma's schema engine finds identical to prisma/postgresql/schema.prisma", async () => {
    const drift = await withSchemaEngine(
      new PrismaPg({ connectionString: database.url, max: 2 }),
      path.join(ROOT, "prisma", "postgresql", "schema.prisma"),
      (engine) => engine.sqlFromDatabase(),
    );
    expect(
      drift,
      `the PostgreSQL migrations differ from the schema; run npm run db:migration -- <name>:\n${drift}`,
    ).toBe("");
  });

  it("record the history prisma migrate deploy keeps, and a second run applies nothing", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
    );
    await client.end();
    const expected = readMigrations(migrationsDirectory(ROOT, "postgresql"));
    expect(rows.map((r) => r.migration_name)).toEqual(expected.map((m) => m.name));
    rows.forEach((row, i) => {
      expect(row.checksum).toBe(checksumOf(expected[i]!.sql));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    });
    expect((await migratePostgres(database.url, ROOT)).applied).toEqual([]);
  });
});

describe.runIf(reachable)("starting against an unreachable database", () => {
  it("refuses with a clear message naming the server (never its password) and exit code 1", async () => {
    const port = await freePort();
    const url = `postgresql://authlab:hunter2-secret@127.0.0.1:${port}/authlab`;
    const run = spawnSync(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["--conditions=react-server", "scripts/start.ts"],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: "test",
          ...(await testSecrets()),
          AUTHLAB_ENV: "test",
          DATABASE_URL: url,
          NEXT_TELEMETRY_DISABLED: "1",
        },
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `cannot connect to PostgreSQL at postgresql://authlab:****@127.0.0.1:${port}/authlab: nothing is listening there; is PostgreSQL running?`,
    );
    expect(run.stdout + run.stderr).not.toContain("hunter2-secret");
  });
});

describe.runIf(reachable)("PostgreSQL going away while the app runs", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: AppServer;

  beforeAll(async () => {
    database = await createTestDatabase("postgresql");
    const admin = new URL(POSTGRES_ADMIN_URL);
    proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    const throughProxy = new URL(database.url);
    throughProxy.port = String(proxy.port);
    app = await startAppServer({ database: { ...database, url: throughProxy.toString() } });
  });
  afterAll(async () => {
    await app?.dispose();
    await proxy?.close();
    await database?.dispose();
  });

  it("answers 503 promptly when connections are refused or hang, keeps JWTs working, and recovers without a restart", async () => {
    const c = new Client(app.url);
    const { accessToken } = await signUp(c);
    expect((await c.get("/api/health")).body.database).toBe("postgresql");

    for (const failure of ["cut", "stall"] as const) {
      await proxy[failure]();
      for (const [label, request] of [
        ["GET /api/session", () => c.get("/api/session")],
        [
          "POST /api/auth/login",
          () =>
            new Client(app.url).post("/api/auth/login", {
              email: "nobody@example.test",
              password: "long enough password",
            }),
        ],
        ["GET /api/me/strict", () => c.get("/api/me/strict", { bearer: accessToken })],
      ] as const) {
        const started = performance.now();
        const response = await request();
        const elapsed = performance.now() - started;
        expect(response.status, `${failure}: ${label}`).toBe(503);
        expect(["session_store_unavailable", "database_unavailable"]).toContain(response.body.error);
        expect(elapsed, `${failure}: ${label} took ${elapsed} ms`).toBeLessThan(3500);
      }
      // The token needs no database.
      expect((await c.get("/api/me", { bearer: accessToken })).status).toBe(200);
      await proxy.restore();
      await expect.poll(async () => (await c.get("/api/session")).status, { timeout: 15_000, interval: 250 }).toBe(200);
    }
    expect(
      (
        await new Client(app.url).post("/api/auth/signup", {
          email: `back-${Date.now()}@example.test`,
          password: "long enough password",
        })
      ).status,
    ).toBe(201);
  });
});
