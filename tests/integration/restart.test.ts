/**
 * The lab's real restart (docs/api.md, POST /api/lab/restart): under `npm start` (scripts/start.ts supervises scripts/server.mjs)
 * POST /api/lab/restart answers 202 `mode: "process"`, the server drains and exits with the restart
 * code, and the supervisor starts a new process. With the memory store that really loses every
 * session; the access token, checked by signature alone, keeps working.
 *
 * The second start is awaited on the launcher's own ready line, not by polling with sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedServerEnv } from "@/scripts/lib/scratch";
import { spawnAppServer, type AppProcess } from "@/scripts/lib/app-process";
import { ROOT, createTestDatabase, testSecrets, type TestDatabase } from "../helpers/app-server";
import { Client, signUp } from "../helpers/http-client";
import { freePort } from "../helpers/ports";

const READY_LINE = /ready on http/g;
const START_TIMEOUT_MS = 90_000;

let database: TestDatabase;
let launcher: AppProcess;
let url: string;
let output = "";
/** Resolves when the launcher has printed its ready line `count` times. */
let readyLines: (count: number) => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const waiters: { count: number; resolve: () => void }[] = [];
  const settle = () => {
    const seen = output.match(READY_LINE)?.length ?? 0;
    for (const waiter of waiters.filter((w) => w.count <= seen)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  readyLines = (count) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ready line #${count} within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      settle();
    });
  launcher = spawnAppServer(
    ROOT,
    isolatedServerEnv({
      ...(await testSecrets()),
      NODE_ENV: "",
      AUTHLAB_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      INSTANCE_ID: `restart-${port}`,
      DATABASE_URL: database.url,
      SESSION_STORE: "memory",
    }),
    (text) => {
      output += text;
      settle();
    },
    { launcher: "npm-start", timeoutMs: START_TIMEOUT_MS },
  );
  await launcher.ready;
}, 180_000);

afterAll(async () => {
  // SIGTERM reaches the supervisor, which passes it to the server and exits with it.
  await launcher?.stop("SIGTERM", 30_000);
  await database?.dispose();
});

describe("POST /api/lab/restart under npm start (supervised)", () => {
  it("answers 202 process, the server restarts, the memory store's session is gone, the token still works", async () => {
    const client = new Client(url);
    const { accessToken } = await signUp(client);
    const before = await client.get("/api/health");
    expect(before.status).toBe(200);
    expect((await client.get("/api/session")).status).toBe(200);

    const restart = await client.post("/api/lab/restart");
    expect(restart.status).toBe(202);
    expect(restart.body).toMatchObject({ mode: "process", store: "memory", sessionsSurvive: false });
    expect(restart.body.startedAt).toBe(before.body.startedAt);

    await readyLines(2);
    expect(output).toContain("restarting the server");
    expect(launcher.child.exitCode).toBeNull();

    const after = await client.get("/api/health");
    expect(after.status).toBe(200);
    expect(after.body.startedAt).not.toBe(before.body.startedAt);
    expect(after.headers.get("x-authlab-instance")).toBe(before.headers.get("x-authlab-instance"));

    const session = await client.get("/api/session");
    expect(session.status).toBe(401);
    expect(session.body.error).toBe("no_session");
    expect((await client.get("/api/me", { bearer: accessToken })).status).toBe(200);
  });
});
