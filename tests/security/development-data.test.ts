/**
 * Development data never reaches production. `npm start` in development seeds
 * demo accounts whose passwords are published on the login page; a production server must never
 * serve them, nor honour a refresh cookie a development server issued.
 *
 * The scenario runs `npm start` itself in a scratch checkout (its own data/ and .env.local):
 * first in development, then with NODE_ENV=production and real secrets on the same default paths.
 * The shared-database cases run on the suite's database (SQLite, or PostgreSQL in the second pass),
 * under every launcher: `npm start`, scripts/server.mjs alone, and plain `next start`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedServerEnv } from "@/scripts/lib/scratch";
import { spawnAppServer, type AppProcess, type Launcher } from "@/scripts/lib/app-process";
import {
  ROOT,
  TEST_DATABASE_KIND,
  createTestDatabase,
  productionEnv,
  startAppServer,
  testSecrets,
  type AppServer,
  type TestDatabase,
} from "../helpers/app-server";
import { scratchCheckout, type Checkout } from "../helpers/checkout";
import { Client, uniqueEmail } from "../helpers/http-client";
import { freePort } from "../helpers/ports";
import { refusal } from "../helpers/refusal";

const DEMO_ADMIN = { email: "admin@authlab.test", password: "authlab-admin-demo" };
const DEMO_USER_EMAIL = "user@authlab.test";

interface Run {
  url: string;
  process: AppProcess;
  output: () => string;
}

/** `npm start` (or another launcher) in `dir` with exactly these variables; resolves once it serves. */
async function launch(dir: string, launcher: Launcher, values: Record<string, string>): Promise<Run> {
  const port = values.PORT ?? String(await freePort());
  let output = "";
  const child = spawnAppServer(
    dir,
    isolatedServerEnv({ HOST: "127.0.0.1", INSTANCE_ID: `dev-data-${port}`, ...values, PORT: port }),
    (text) => (output += text),
    { launcher, timeoutMs: 90_000 },
  );
  await child.ready;
  return { url: `http://127.0.0.1:${port}`, process: child, output: () => output };
}

const development = (values: Record<string, string> = {}) => ({ NODE_ENV: "", AUTHLAB_ENV: "", ...values });
const production = async (values: Record<string, string> = {}) => ({
  NODE_ENV: "production",
  ...(await testSecrets()),
  ...productionEnv({ AUTHLAB_ENV: "" }),
  ...values,
});

function expectNamesTheAccountsAndTheFix(output: string) {
  expect(output).toContain(DEMO_ADMIN.email);
  expect(output).toContain(DEMO_USER_EMAIL);
  expect(output).toMatch(/demo accounts/i);
  expect(output).toContain("DATABASE_URL");
  // Never the published password itself.
  expect(output).not.toContain(DEMO_ADMIN.password);
}

let checkout: Checkout;
beforeAll(() => {
  checkout = scratchCheckout();
});
afterAll(() => checkout?.dispose());

describe("npm start in development, then NODE_ENV=production npm start on the same default paths", () => {
  // The default paths are SQLite files; DATABASE_URL stays unset here, in both passes of the suite.
  it("production opens its own database: no demo login, and the development refresh cookie is unknown", async () => {
    const port = String(await freePort());
    const dev = await launch(checkout.dir, "npm-start", development({ PORT: port }));
    const browser = new Client(dev.url);
    let devRefresh: string;
    try {
      const signedIn = await browser.post("/api/auth/login", DEMO_ADMIN);
      expect(signedIn.status, dev.output()).toBe(200);
      expect(signedIn.body.user.role).toBe("ADMIN");
      devRefresh = browser.cookie("authlab_refresh")!.value;
    } finally {
      await dev.process.stop();
    }

    const prod = await launch(checkout.dir, "npm-start", await production({ PORT: port }));
    try {
      // The same browser, the same origin: it still holds the development server's cookies.
      const demo = await browser.post("/api/auth/login", DEMO_ADMIN);
      expect(demo.status, prod.output()).toBe(401);
      expect(demo.body.error).toBe("invalid_credentials");
      const carried = new Client(prod.url);
      carried.setCookie("authlab_refresh", devRefresh, "/api/auth");
      const refreshed = await carried.post("/api/auth/refresh");
      expect(refreshed.status).toBe(401);
      expect(refreshed.body.error).toBe("invalid_grant");
    } finally {
      await prod.process.stop();
    }
    // Each mode's default: data/authlab.dev.db in development, data/authlab.db in production.
    expect(existsSync(path.join(checkout.dir, "data", "authlab.dev.db"))).toBe(true);
    expect(existsSync(path.join(checkout.dir, "data", "authlab.db"))).toBe(true);
  });
});

describe(`one database shared by a development and a production server (${TEST_DATABASE_KIND})`, () => {
  let database: TestDatabase;
  let server: AppServer | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.dispose();
    await database?.dispose();
  });

  it("a running production server does not serve demo accounts a development server seeds later", async () => {
    server = await startAppServer({ database, env: productionEnv() });
    const dev = await launch(checkout.dir, "npm-start", development({ DATABASE_URL: database.url }));
    try {
      expect((await new Client(dev.url).post("/api/auth/login", DEMO_ADMIN)).status, dev.output()).toBe(200);
    } finally {
      await dev.process.stop();
    }
    const demo = await new Client(server.url).post("/api/auth/login", DEMO_ADMIN);
    expect(demo.status).toBe(401);
    expect(demo.body.error).toBe("invalid_credentials");
  });

  it("nobody can sign up with a demo address, so a user cannot plant one for the next start", async () => {
    const signup = await new Client(server!.url).post("/api/auth/signup", {
      email: "User@Authlab.test",
      password: "a long enough password",
    });
    expect(signup.status).toBe(400);
    expect(signup.body).toMatchObject({ error: "invalid_request", field: "email" });
    // Other addresses on other .test domains are fine.
    const other = await new Client(server!.url).post("/api/auth/signup", {
      email: uniqueEmail("real"),
      password: "a long enough password",
    });
    expect(other.status).toBe(201);
  });

  it("NODE_ENV=production npm start refuses to start, naming the accounts and the fix", async () => {
    const run = await refusal(checkout.dir, "npm-start", await production({ DATABASE_URL: database.url }));
    expect(run.code, run.output).toBe(1);
    expectNamesTheAccountsAndTheFix(run.output);
  });

  it.each<Launcher>(["authlab", "next-start"])("%s without npm start's preparation refuses too", async (launcher) => {
    const run = await refusal(ROOT, launcher, {
      ...(await testSecrets()),
      ...productionEnv({ AUTHLAB_ENV: "" }),
      DATABASE_URL: database.url,
    });
    expect(run.code, run.output).toBe(1);
    expectNamesTheAccountsAndTheFix(run.output);
  });

  it("a development server on the same database starts as before", async () => {
    const dev = await launch(checkout.dir, "npm-start", development({ DATABASE_URL: database.url }));
    try {
      expect((await new Client(dev.url).post("/api/auth/login", DEMO_ADMIN)).status).toBe(200);
    } finally {
      await dev.process.stop();
    }
  });
});
