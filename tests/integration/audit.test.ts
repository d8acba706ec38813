/**
 * The audit trail (docs/api.md): each security event is written by the action that causes it, with
 * the account, the session's public id, the address and the user agent the server saw — and never a
 * credential. Read back through GET /api/admin/audit (admin only), with validated filters and cursor
 * pagination. Runs on SQLite and on PostgreSQL (TEST_DATABASE=postgresql).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useAppServer } from "../helpers/use-app-server";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { countRows, refreshFamilies } from "../helpers/db";
import { auditEvents, BrowserClient, expectEvent, FIREFOX_ON_LINUX, signInAdmin } from "../helpers/observability";
import { makeProof, proofKey, type ProofKey } from "../helpers/dpop";

const CURL = "curl/8.5.0";
const DAY_MS = 24 * 3600 * 1000;

const server = useAppServer({ env: { AUDIT_RETENTION_DAYS: "30", SESSION_SWEEP_INTERVAL_SECONDS: "1" } });
let admin: Awaited<ReturnType<typeof signInAdmin>>;

beforeAll(async () => {
  admin = await signInAdmin(server);
});

/** Signs up with a DPoP proof by `key`: the access token and the refresh family are bound to it. */
async function boundSignUp(c: BrowserClient, key: ProofKey) {
  const dpop = await makeProof(key, { htm: "POST", htu: `${server.url}/api/auth/signup` });
  const response = await c.post(
    "/api/auth/signup",
    { email: uniqueEmail("audit-dpop"), password: GOOD_PASSWORD },
    { headers: { dpop } },
  );
  expect(response.status, response.text).toBe(201);
  expect(response.body.tokenType).toBe("DPoP");
  return { user: response.body.user as { id: number }, accessToken: response.body.accessToken as string };
}

async function refreshWithProof(c: BrowserClient, key: ProofKey) {
  const dpop = await makeProof(key, { htm: "POST", htu: `${server.url}/api/auth/refresh` });
  return c.post("/api/auth/refresh", undefined, { headers: { dpop } });
}

/** RFC 7009 as a public client calls it: no cookie, no Origin, no client authentication. */
function revoke(c: Client, token: string, hint?: string) {
  const body = new URLSearchParams({ token, ...(hint ? { token_type_hint: hint } : {}) }).toString();
  return c.request("/api/auth/revoke", {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    sameOrigin: false,
  });
}

function noCredentialIn(text: string, ...secrets: (string | undefined)[]) {
  for (const secret of secrets) if (secret) expect(text).not.toContain(secret);
  expect(text).not.toContain(GOOD_PASSWORD);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  expect(text).not.toContain("Fe26.2*");
}

describe("events written by the actions that cause them", () => {
  it("sign-in: succeeded (with address and device) and failed", async () => {
    const c = new BrowserClient(server.url);
    const { email, user } = await signUp(c);
    const signedIn = await expectEvent(server, admin.accessToken, user.id, "sign_in_succeeded");
    expect(signedIn).toMatchObject({ userId: user.id, ip: "127.0.0.1", userAgent: FIREFOX_ON_LINUX });
    expect(signedIn.sessionId).toMatch(/^[A-Za-z0-9_-]{10,}$/);

    const wrong = await c.post("/api/auth/login", { email, password: "not the password at all" });
    expect(wrong.status).toBe(401);
    const failed = await expectEvent(server, admin.accessToken, user.id, "sign_in_failed");
    expect(failed).toMatchObject({ ip: "127.0.0.1", userAgent: FIREFOX_ON_LINUX, sessionId: null });
    noCredentialIn(JSON.stringify(failed), "not the password at all");
  });

  it("sign-in throttled: the attempt past the account's limit", async () => {
    const c = new BrowserClient(server.url);
    const { email } = await signUp(c);
    for (let i = 0; i < 10; i++) {
      expect((await c.post("/api/auth/login", { email, password: `wrong password ${i}` })).status).toBe(401);
    }
    const refused = await c.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    expect(refused.status).toBe(429);
    await expect
      .poll(async () => {
        const events = await auditEvents(server, admin.accessToken, { event: "sign_in_throttled" });
        return events.some((e) => e.detail.limit === "account" && e.userAgent === FIREFOX_ON_LINUX);
      })
      .toBe(true);
  });

  it("signed out, with the refresh family revoked beside it", async () => {
    const c = new BrowserClient(server.url);
    const { user } = await signUp(c);
    const session = (await c.get("/api/session")).body.session.id as string;
    expect((await c.post("/api/auth/logout")).status).toBe(204);
    const out = await expectEvent(server, admin.accessToken, user.id, "signed_out");
    expect(out).toMatchObject({ sessionId: session, ip: "127.0.0.1", userAgent: FIREFOX_ON_LINUX });
    const family = await expectEvent(server, admin.accessToken, user.id, "refresh_family_revoked");
    expect(family).toMatchObject({ sessionId: session, detail: { reason: "logout", count: 1 } });
  });

  it("one session revoked, and every other session revoked", async () => {
    const me = new BrowserClient(server.url);
    const { email, user } = await signUp(me);
    const laptop = new Client(server.url);
    await laptop.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const phone = new Client(server.url);
    await phone.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const laptopId = (await laptop.get("/api/session")).body.session.id as string;
    const mine = (await me.get("/api/session")).body.session.id as string;

    expect((await me.delete(`/api/sessions/${laptopId}`)).status).toBe(200);
    const revoked = await expectEvent(server, admin.accessToken, user.id, "session_revoked");
    expect(revoked).toMatchObject({ sessionId: laptopId, detail: { by: mine }, userAgent: FIREFOX_ON_LINUX });

    expect((await me.delete("/api/sessions")).body.revoked).toBe(1);
    const all = await expectEvent(server, admin.accessToken, user.id, "sessions_revoked_all");
    expect(all).toMatchObject({ sessionId: mine, detail: { count: 1 } });
  });

  it("refresh-token reuse: the thief's address and user agent, the account and the session", async () => {
    const owner = new BrowserClient(server.url);
    const { user } = await signUp(owner);
    const first = owner.cookie("authlab_refresh")!.value;
    const session = (await owner.get("/api/session")).body.session.id as string;
    // Two rotations: the first token is now an older ancestor, reuse whatever grace window applies.
    expect((await owner.post("/api/auth/refresh")).status).toBe(200);
    expect((await owner.post("/api/auth/refresh")).status).toBe(200);

    const thief = new BrowserClient(server.url, CURL);
    thief.setCookie("authlab_refresh", first, "/api/auth");
    const replay = await thief.post("/api/auth/refresh");
    expect(replay.status).toBe(401);
    expect(replay.body.reason).toBe("reused");

    const reuse = await expectEvent(server, admin.accessToken, user.id, "refresh_reuse_detected");
    expect(reuse).toMatchObject({ userId: user.id, sessionId: session, ip: "127.0.0.1", userAgent: CURL });
    noCredentialIn(JSON.stringify(reuse), first, owner.cookie("authlab_refresh")?.value);
    // The family's public id, as docs/api.md shows it: an identifier is kept by its name, whatever its length.
    const [family] = await refreshFamilies(server.database, user.id);
    expect(reuse.detail.familyId).toBe(family!.id);
  });

  it("refresh-token reuse of a DPoP-bound family: told once, whoever replays and with whichever key", async () => {
    const owner = new BrowserClient(server.url);
    const [key, thiefKey] = await Promise.all([proofKey(), proofKey()]);
    const { user } = await boundSignUp(owner, key);
    const first = owner.cookie("authlab_refresh")!.value;
    for (let i = 0; i < 2; i++) expect((await refreshWithProof(owner, key)).status).toBe(200);

    // Reuse is decided before the key is: a replayed ancestor revokes the family whoever signs the proof.
    const thief = new BrowserClient(server.url, CURL);
    thief.setCookie("authlab_refresh", first, "/api/auth");
    expect((await refreshWithProof(thief, thiefKey)).body.reason).toBe("reused");
    thief.setCookie("authlab_refresh", first, "/api/auth");
    expect((await refreshWithProof(thief, key)).body.reason).toBe("revoked");

    const reuse = await expectEvent(server, admin.accessToken, user.id, "refresh_reuse_detected");
    expect(reuse).toMatchObject({ userId: user.id, userAgent: CURL });
    expect(
      await auditEvents(server, admin.accessToken, { userId: user.id, event: "refresh_reuse_detected" }),
    ).toHaveLength(1);
  });

  it("token revoked (RFC 7009): a DPoP-bound access token and a refresh token, each told once", async () => {
    const c = new BrowserClient(server.url);
    const { user, accessToken } = await boundSignUp(c, await proofKey());
    const refreshToken = c.cookie("authlab_refresh")!.value;
    const session = (await c.get("/api/session")).body.session.id as string;

    expect((await revoke(c, accessToken, "access_token")).status).toBe(200);
    const access = await expectEvent(server, admin.accessToken, user.id, "token_revoked");
    expect(access).toMatchObject({
      userId: user.id,
      sessionId: session,
      ip: "127.0.0.1",
      userAgent: FIREFOX_ON_LINUX,
      detail: { tokenType: "access_token" },
    });
    // Revoking it again revokes nothing: no second event.
    expect((await revoke(c, accessToken)).status).toBe(200);

    expect((await revoke(c, refreshToken, "refresh_token")).status).toBe(200);
    const family = await expectEvent(server, admin.accessToken, user.id, "refresh_family_revoked");
    expect(family).toMatchObject({ sessionId: session, detail: { reason: "token_revoked", count: 1 } });
    await expect
      .poll(async () => {
        const events = await auditEvents(server, admin.accessToken, { userId: user.id, event: "token_revoked" });
        return events.map((e) => [e.detail.tokenType, e.sessionId]);
      })
      .toEqual([
        ["refresh_token", session],
        ["access_token", session],
      ]);
    const trail = await auditEvents(server, admin.accessToken, { userId: user.id });
    noCredentialIn(JSON.stringify(trail), accessToken, refreshToken);
  });

  it("role changed by an admin, and password changed", async () => {
    const c = new BrowserClient(server.url);
    const { user } = await signUp(c);
    const put = await admin.client.request(`/api/users/${user.id}/role`, { method: "PUT", json: { role: "ADMIN" } });
    expect(put.status).toBe(200);
    const role = await expectEvent(server, admin.accessToken, user.id, "role_changed");
    expect(role.detail).toEqual({ role: "ADMIN", changedBy: admin.id });

    const newPassword = "a brand new passphrase 42";
    const change = await c.post("/api/account/password", { currentPassword: GOOD_PASSWORD, newPassword });
    expect(change.status).toBe(200);
    const changed = await expectEvent(server, admin.accessToken, user.id, "password_changed");
    expect(changed).toMatchObject({ userAgent: FIREFOX_ON_LINUX, detail: { endedSessions: 0 } });
    noCredentialIn(JSON.stringify(changed), newPassword);
  });
});

describe("GET /api/admin/audit", () => {
  it("is for admins only: 401 without a token, 403 for a user's token", async () => {
    expect((await new Client(server.url).get("/api/admin/audit")).status).toBe(401);
    const { accessToken } = await signUp(new Client(server.url));
    const refused = await new Client(server.url).get("/api/admin/audit", { bearer: accessToken });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("insufficient_scope");
  });

  it("refuses bad filters with 400 invalid_request naming the field", async () => {
    const cases: [string, string][] = [
      ["event=no_such_event", "event"],
      ["userId=abc", "userId"],
      ["userId=-1", "userId"],
      ["before=0", "before"],
      ["before=1e3", "before"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=5&limit=6", "limit"],
    ];
    for (const [query, field] of cases) {
      const response = await new Client(server.url).get(`/api/admin/audit?${query}`, { bearer: admin.accessToken });
      expect(response.status, query).toBe(400);
      expect(response.body, query).toMatchObject({ error: "invalid_request", field });
    }
  });

  it("pages newest first; events written while paging never repeat or skip one", async () => {
    const c = new Client(server.url);
    const { email, user } = await signUp(c);
    for (let i = 0; i < 5; i++) await c.post("/api/auth/login", { email, password: `wrong ${i}` });
    await expect.poll(async () => (await auditEvents(server, admin.accessToken, { userId: user.id })).length).toBe(6);

    const seen: number[] = [];
    let before: string | null = null;
    do {
      const query: Record<string, string> = { userId: String(user.id), limit: "2", ...(before ? { before } : {}) };
      const page = await new Client(server.url).get(`/api/admin/audit?${new URLSearchParams(query)}`, {
        bearer: admin.accessToken,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.events.map((e: { id: number }) => e.id));
      before = page.body.nextCursor;
      // Meanwhile, more events arrive for the same account.
      await c.post("/api/auth/login", { email, password: "another wrong one" });
    } while (before);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });
});

describe("retention", () => {
  it("the maintenance sweep removes events older than AUDIT_RETENTION_DAYS, and keeps newer ones", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    await expectEvent(server, admin.accessToken, user.id, "sign_in_succeeded");
    server.advanceClock(29 * DAY_MS);
    const { user: newer } = await signUp(new Client(server.url));
    await expect.poll(() => countRows(server.database, "SecurityEvent", "userId", newer.id)).toBe(1);
    server.advanceClock(2 * DAY_MS);
    // Read from the database: 31 days on, the admin's own refresh family has expired too.
    await expect
      .poll(() => countRows(server.database, "SecurityEvent", "userId", user.id), { timeout: 10_000, interval: 250 })
      .toBe(0);
    expect(await countRows(server.database, "SecurityEvent", "userId", newer.id)).toBe(1);
  });
});
