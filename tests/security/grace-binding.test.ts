/**
 * The reuse grace window and DPoP binding together. Inside REFRESH_REUSE_GRACE_SECONDS the refresh
 * token just rotated away may be presented again and is answered with the family's one live successor
 * (SECURITY.md, "Trade-off, by design"): at worst a thief who replays it shares the chain, and the next
 * refresh by either side ends the family for both. A replay must never do more than that — in particular
 * it must not bind the family to the thief's key, which would lock the owner out while the thief keeps
 * refreshing (RFC 9449 §5 binds a refresh token to the key of the client it was issued to).
 *
 * The rules held here: a family is bound to a key only by the conditional update that rotates it; a
 * grace-window replay never binds; a proof — or a missing proof — that disagrees with the family's
 * binding inside the window is reuse (401 invalid_grant `reused`, the family revoked, one
 * refresh_reuse_detected event). Two instances share the database, so nothing passes on an in-process
 * lock; time moves on the servers' state clocks, never by sleeping.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, startAppServer, type AppServer, type TestDatabase } from "../helpers/app-server";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail, type ApiResponse } from "../helpers/http-client";
import { countSecurityEvents, refreshFamilies } from "../helpers/db";
import { makeProof, proofKey, type ProofKey } from "../helpers/dpop";
import { decodeJwt } from "../helpers/tokens";

const REFRESH_COOKIE = "authlab_refresh";
const INSIDE_WINDOW_MS = 2000;

let database: TestDatabase;
let a: AppServer;
let b: AppServer;
let owner: ProofKey;
let thief: ProofKey;

beforeAll(async () => {
  database = await createTestDatabase();
  [a, b, owner, thief] = await Promise.all([
    startAppServer({ database, env: { INSTANCE_ID: "binding-a" } }),
    startAppServer({ database, env: { INSTANCE_ID: "binding-b" } }),
    proofKey(),
    proofKey(),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.dispose(), b?.dispose()]);
  await database?.dispose();
});

function advanceClocks(ms: number) {
  a.advanceClock(ms);
  b.advanceClock(ms);
}

/** A client holding nothing but this refresh token, presenting it to `server` (with a proof by `key`). */
async function present(server: AppServer, token: string, key?: ProofKey): Promise<ApiResponse> {
  const c = new Client(server.url);
  c.setCookie(REFRESH_COOKIE, token, "/api/auth");
  const dpop = key ? await makeProof(key, { htm: "POST", htu: `${server.url}/api/auth/refresh` }) : undefined;
  return c.post("/api/auth/refresh", undefined, { headers: dpop ? { dpop } : {} });
}

function refreshCookieSet(response: ApiResponse): string | undefined {
  return response.setCookies.find((c) => c.name === REFRESH_COOKIE)?.value;
}

/** Bob signs up (bound to `key` when given) and refreshes once: T0 is now the parent, T1 the live token. */
async function rotatedOnce(key?: ProofKey) {
  const c = new Client(a.url);
  const dpop = key ? await makeProof(key, { htm: "POST", htu: `${a.url}/api/auth/signup` }) : undefined;
  const signup = await c.post(
    "/api/auth/signup",
    { email: uniqueEmail("grace-binding"), password: GOOD_PASSWORD },
    { headers: dpop ? { dpop } : {} },
  );
  expect(signup.status, signup.text).toBe(201);
  const userId = signup.body.user.id as number;
  const t0 = c.cookie(REFRESH_COOKIE)!.value;
  const first = await present(a, t0, key);
  expect(first.status, first.text).toBe(200);
  const t1 = refreshCookieSet(first)!;
  expect(t1).not.toBe(t0);
  advanceClocks(INSIDE_WINDOW_MS);
  return { userId, t0, t1 };
}

function expectReused(response: ApiResponse) {
  expect(response.status, response.text).toBe(401);
  expect(response.body).toMatchObject({ error: "invalid_grant", reason: "reused" });
}

async function expectFamilyEndedForReuse(userId: number) {
  const [family] = await refreshFamilies(database, userId);
  expect(family).toMatchObject({ revoked: true, revokedReason: "reuse" });
  await expect.poll(() => countSecurityEvents(database, "refresh_reuse_detected", { userId })).toBe(1);
}

describe("a rotated refresh token replayed inside the grace window by someone else's key", () => {
  it("a Bearer family: the thief's proof is reuse — never a DPoP token, never a binding; Bob's next refresh is refused too", async () => {
    const { userId, t0, t1 } = await rotatedOnce();

    expectReused(await present(b, t0, thief));
    await expectFamilyEndedForReuse(userId);
    // The replay bound nothing: the family ended as the Bearer family it was.
    expect((await refreshFamilies(database, userId))[0]!.dpopJkt).toBeNull();

    // Neither side refreshes again, with or without a key.
    for (const response of [await present(a, t1), await present(a, t1, thief), await present(b, t0, thief)]) {
      expect(response.status).toBe(401);
      expect(response.body.error).toBe("invalid_grant");
    }
  });

  it("a bound family: the parent with another key's proof is reuse, not a mismatch the family survives", async () => {
    const { userId, t0, t1 } = await rotatedOnce(owner);

    expectReused(await present(b, t0, thief));
    await expectFamilyEndedForReuse(userId);
    expect((await refreshFamilies(database, userId))[0]!.dpopJkt).toBe(owner.jkt);
    expect((await present(a, t1, owner)).body).toMatchObject({ error: "invalid_grant", reason: "revoked" });
  });

  it("a bound family: the parent without a proof is reuse, not dpop_required", async () => {
    const { userId, t0, t1 } = await rotatedOnce(owner);

    expectReused(await present(b, t0));
    await expectFamilyEndedForReuse(userId);
    expect((await present(a, t1, owner)).body).toMatchObject({ error: "invalid_grant", reason: "revoked" });
  });
});

describe("the owner's own retry inside the window is still answered (two tabs, a lost answer)", () => {
  it("a bound family: the parent with the family's key gets a token bound to that key and the same successor", async () => {
    const { userId, t0, t1 } = await rotatedOnce(owner);

    const again = await present(b, t0, owner);
    expect(again.status, again.text).toBe(200);
    expect(again.body.tokenType).toBe("DPoP");
    expect(decodeJwt(again.body.accessToken).payload.cnf).toEqual({ jkt: owner.jkt });
    expect(refreshCookieSet(again)).toBe(t1);
    expect((await refreshFamilies(database, userId))[0]).toMatchObject({
      generation: 1,
      revoked: false,
      dpopJkt: owner.jkt,
    });
    expect((await present(a, t1, owner)).status).toBe(200);
  });

  it("a Bearer family: the parent without a proof gets a Bearer token and the same successor", async () => {
    const { userId, t0, t1 } = await rotatedOnce();

    const again = await present(b, t0);
    expect(again.status, again.text).toBe(200);
    expect(again.body.tokenType).toBe("Bearer");
    expect(refreshCookieSet(again)).toBe(t1);
    expect((await refreshFamilies(database, userId))[0]).toMatchObject({ revoked: false, dpopJkt: null });
  });
});

describe("the first refresh with a proof binds a Bearer family, in the rotation itself", () => {
  it("a refresh of the live token with a proof binds the family to that key; its parent without one is then reuse", async () => {
    const c = new Client(a.url);
    const { user } = await signUp(c);
    const t0 = c.cookie(REFRESH_COOKIE)!.value;

    const bound = await present(a, t0, owner);
    expect(bound.status, bound.text).toBe(200);
    expect(bound.body.tokenType).toBe("DPoP");
    expect((await refreshFamilies(database, user.id))[0]).toMatchObject({ generation: 1, dpopJkt: owner.jkt });

    // A second tab still on Bearer presents the parent inside the window: a bound family hands out no
    // Bearer token, so this is a disagreement with the binding, and the family ends.
    expectReused(await present(b, t0));
    await expectFamilyEndedForReuse(user.id);
  });
});

describe("parallel refreshes of one token mixing Bearer and two keys, over two instances", () => {
  it("one successor, one binding, and no Bearer token from a bound family", async () => {
    const c = new Client(a.url);
    const { user } = await signUp(c);
    const t0 = c.cookie(REFRESH_COOKIE)!.value;
    const keys = [undefined, owner, thief];

    const results = await Promise.all(
      Array.from({ length: 18 }, (_, i) => present(i % 2 ? b : a, t0, keys[i % keys.length])),
    );

    for (const r of results) {
      expect([200, 401], r.text).toContain(r.status);
      if (r.status === 401) expect(r.body.error).toBe("invalid_grant");
    }
    const successors = new Set(results.map(refreshCookieSet).filter((v) => v !== undefined && v !== ""));
    expect(successors.size).toBeLessThanOrEqual(1);
    const [family] = await refreshFamilies(database, user.id);
    expect(family!.generation).toBe(1);
    // Every access token handed out agrees with the family's one binding: bound to its key, or Bearer
    // only while the family is unbound.
    for (const r of results.filter((r) => r.status === 200)) {
      const cnf = decodeJwt(r.body.accessToken).payload.cnf as { jkt: string } | undefined;
      expect(cnf?.jkt ?? null).toBe(family!.dpopJkt);
      expect(r.body.tokenType).toBe(family!.dpopJkt ? "DPoP" : "Bearer");
    }
    // Requests that disagreed with the binding the winner made are reuse: the family ended.
    if (results.some((r) => r.status === 401)) expect(family).toMatchObject({ revoked: true, revokedReason: "reuse" });
  });
});
