/**
 * The refresh-token reuse grace window (SECURITY.md, "Trade-off, by design"), decided by the database: two
 * instances share one database and the races are spread over both, so nothing here can pass on an
 * in-process lock. Time moves on both servers' state clocks at once (server.advanceClock), never by sleeping.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, startAppServer, type AppServer, type TestDatabase } from "../helpers/app-server";
import { Client, signUp, type ApiResponse } from "../helpers/http-client";
import { refreshFamilies } from "../helpers/db";
import { pollUntil } from "../helpers/time";

const GRACE_SECONDS = 10;
const SECOND_MS = 1000;
const REFRESH_COOKIE = "authlab_refresh";

let database: TestDatabase;
let a: AppServer;
let b: AppServer;

beforeAll(async () => {
  database = await createTestDatabase();
  [a, b] = await Promise.all([
    startAppServer({ database, env: { INSTANCE_ID: "grace-a" } }),
    startAppServer({ database, env: { INSTANCE_ID: "grace-b" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.dispose(), b?.dispose()]);
  await database?.dispose();
});

/** Both instances read one clock offset, as two machines with synchronised clocks would. */
function advanceClocks(ms: number) {
  a.advanceClock(ms);
  b.advanceClock(ms);
}

/** A client that holds nothing but this refresh token, presenting it to `server`. */
function present(server: AppServer, token: string): Promise<ApiResponse> {
  const c = new Client(server.url);
  c.setCookie(REFRESH_COOKIE, token, "/api/auth");
  return c.post("/api/auth/refresh");
}

/** The refresh cookie a response set (undefined when it set none, "" when it cleared it). */
function refreshCookieSet(response: ApiResponse): string | undefined {
  return response.setCookies.find((c) => c.name === REFRESH_COOKIE)?.value;
}

async function signedUp(server: AppServer) {
  const c = new Client(server.url);
  const account = await signUp(c);
  return { c, account, token: c.cookie(REFRESH_COOKIE)!.value };
}

describe("the reuse grace window (default 10 s)", () => {
  it("twenty concurrent refreshes with one token over two instances: all 200, one successor, and it works", async () => {
    const { account, token } = await signedUp(a);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => present(i % 2 ? b : a, token)));

    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    // Every 200 sets the one successor cookie (or none): never a second live token.
    const successors = new Set(results.map(refreshCookieSet).filter((v) => v !== undefined));
    expect(successors.size).toBe(1);
    const [successor] = [...successors] as [string];
    expect(successor).not.toBe(token);
    const [family] = await refreshFamilies(database, account.user.id);
    expect(family).toMatchObject({ generation: 1, revoked: false });

    // Every access token handed out works, and the successor refreshes on either instance.
    const me = await Promise.all(results.map((r) => new Client(a.url).get("/api/me", { bearer: r.body.accessToken })));
    expect(me.every((r) => r.status === 200)).toBe(true);
    const next = await present(b, successor);
    expect(next.status).toBe(200);
    expect(refreshCookieSet(next)).not.toBe(successor);
    expect((await refreshFamilies(database, account.user.id))[0]).toMatchObject({ generation: 2, revoked: false });
  });

  it("the parent inside the window answers 200 with the same successor, which stays the only live token", async () => {
    const { account, c, token: parent } = await signedUp(a);
    const first = await c.post("/api/auth/refresh");
    const successor = refreshCookieSet(first)!;
    advanceClocks((GRACE_SECONDS - 2) * SECOND_MS);

    const again = await present(b, parent);
    expect(again.status).toBe(200);
    expect(refreshCookieSet(again)).toBe(successor);
    expect((await refreshFamilies(database, account.user.id))[0]).toMatchObject({ generation: 1, revoked: false });
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
  });

  it("a grandparent presented again is reuse: 401 reused, and the whole family is revoked", async () => {
    const { account, c, token: grandparent } = await signedUp(a);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);

    const replay = await present(b, grandparent);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: "invalid_grant", reason: "reused" });
    expect((await refreshFamilies(database, account.user.id))[0]).toMatchObject({
      revoked: true,
      revokedReason: "reuse",
    });
    // The legitimate holder's current token died with the family.
    const legit = await c.post("/api/auth/refresh");
    expect(legit.status).toBe(401);
    expect(legit.body.error).toBe("invalid_grant");
  });

  it("the parent after the window is reuse: 401 reused, and the family is revoked", async () => {
    const { account, c, token: parent } = await signedUp(a);
    const first = await c.post("/api/auth/refresh");
    const successor = refreshCookieSet(first)!;
    advanceClocks((GRACE_SECONDS + 1) * SECOND_MS);

    const late = await present(b, parent);
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ error: "invalid_grant", reason: "reused" });
    expect((await refreshFamilies(database, account.user.id))[0]).toMatchObject({ revoked: true });
    expect((await present(a, successor)).status).toBe(401);
  });

  it("logout during the window: the parent is refused, and the family never answers 200 again", async () => {
    const { c, token: parent } = await signedUp(a);
    const first = await c.post("/api/auth/refresh");
    const successor = refreshCookieSet(first)!;
    expect((await c.post("/api/auth/logout")).status).toBe(204);

    for (const token of [parent, successor]) {
      for (const server of [a, b]) {
        const response = await present(server, token);
        expect(response.status).toBe(401);
        expect(response.body.error).toBe("invalid_grant");
      }
    }
  });

  it("a family revoked from the sessions page during the window never answers 200 again", async () => {
    const { c, account, token: parent } = await signedUp(a);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    const other = new Client(b.url);
    expect((await other.post("/api/auth/login", { email: account.email, password: account.password })).status).toBe(
      200,
    );
    const [family] = await refreshFamilies(database, account.user.id);
    expect((await other.delete(`/api/sessions/${family!.sessionId}`)).status).toBe(200);

    const response = await present(b, parent);
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("invalid_grant");
    expect((await c.post("/api/auth/refresh")).status).toBe(401);
  });
});

describe("an instance rotated the token and died before the client saw the answer", () => {
  /** Sends a refresh to `server` and never reads the answer: the client sees nothing. */
  function sendAndNeverRead(server: AppServer, token: string): net.Socket {
    const socket = net.connect(server.port, "127.0.0.1");
    socket.on("error", () => undefined);
    const request = [
      "POST /api/auth/refresh HTTP/1.1",
      `Host: 127.0.0.1:${server.port}`,
      `Origin: ${server.url}`,
      `Cookie: ${REFRESH_COOKIE}=${token}`,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    socket.write(request);
    return socket;
  }

  it("the client's retry on the other instance inside the window succeeds, and the family lives on", async () => {
    const { account, token: parent } = await signedUp(a);
    const abandoned = sendAndNeverRead(a, parent);
    await pollUntil(async () => (await refreshFamilies(database, account.user.id))[0]!.generation === 1, {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: "instance A to rotate the token",
    });
    await a.stop("SIGKILL");
    abandoned.destroy();

    try {
      const retry = await present(b, parent);
      expect(retry.status).toBe(200);
      const successor = refreshCookieSet(retry);
      expect(successor).toBeTruthy();
      expect(successor).not.toBe(parent);
      expect((await refreshFamilies(database, account.user.id))[0]).toMatchObject({ generation: 1, revoked: false });

      // The successor the retry delivered is the family's live token, long after the window.
      advanceClocks((GRACE_SECONDS + 5) * SECOND_MS);
      const later = await present(b, successor!);
      expect(later.status).toBe(200);
      expect((await refreshFamilies(database, account.user.id))[0]).toMatchObject({ generation: 2, revoked: false });
    } finally {
      await a.restart();
    }
  });
});

describe("REFRESH_REUSE_GRACE_SECONDS=0 (strict)", () => {
  let strict: AppServer;
  beforeAll(async () => {
    strict = await startAppServer({ env: { REFRESH_REUSE_GRACE_SECONDS: "0", INSTANCE_ID: "strict" } });
  });
  afterAll(async () => {
    await strict?.dispose();
  });

  it("of twenty concurrent refreshes with one token exactly one wins; the rest are reuse and end the family", async () => {
    const { account, token } = await signedUp(strict);
    const results = await Promise.all(Array.from({ length: 20 }, () => present(strict, token)));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401).every((r) => r.body.error === "invalid_grant")).toBe(true);
    expect(results.some((r) => r.body?.reason === "reused")).toBe(true);
    const winner = results.find((r) => r.status === 200)!;
    const [family] = await refreshFamilies(strict.database, account.user.id);
    expect(family).toMatchObject({ generation: 1, revoked: true, revokedReason: "reuse" });
    expect((await present(strict, refreshCookieSet(winner)!)).status).toBe(401);
  });

  it("the parent presented a moment later is reuse", async () => {
    const { c, token: parent } = await signedUp(strict);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    const replay = await present(strict, parent);
    expect(replay.body).toMatchObject({ error: "invalid_grant", reason: "reused" });
    expect((await c.post("/api/auth/refresh")).status).toBe(401);
  });
});
