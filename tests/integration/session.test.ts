import { describe, expect, it } from "vitest";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { setRole } from "../helpers/db";
import { startAppServer } from "../helpers/app-server";
import { useAppServer } from "../helpers/use-app-server";

const server = useAppServer();

const client = () => new Client(server.url);

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP, and opaque", async () => {
    const c = client();
    const { user } = await signUp(c);
    const cookie = c.cookie("authlab_session")!;
    expect(cookie.attributes.httponly).toBe(true);
    expect(String(cookie.attributes.samesite).toLowerCase()).toBe("lax");
    expect(cookie.path).toBe("/");
    expect(cookie.attributes.secure).toBeUndefined();
    expect(cookie.value.startsWith("Fe26.2*")).toBe(true);
    // The seal is encrypted: neither the user id nor anything readable is in it.
    expect(cookie.value).not.toContain(`"${user.id}"`);
    expect(Buffer.from(cookie.value, "latin1").toString()).not.toMatch(/userId|email/);
  });

  it("is Secure with the __Host- prefix when the request arrived over HTTPS (behind a trusted proxy)", async () => {
    const proxied = await startAppServer({ env: { TRUST_PROXY_HOPS: "1" } });
    try {
      const c = new Client(proxied.url);
      const response = await c.post(
        "/api/auth/signup",
        { email: uniqueEmail(), password: GOOD_PASSWORD },
        {
          headers: {
            "x-forwarded-proto": "https",
            "x-forwarded-for": "203.0.113.9",
            origin: `https://127.0.0.1:${proxied.port}`,
          },
        },
      );
      expect(response.status).toBe(201);
      const names = response.setCookies.map((s) => s.name);
      expect(names).toContain("__Host-authlab_session");
      expect(names).toContain("__Secure-authlab_refresh");
      for (const cookie of response.setCookies) expect(cookie.attributes.secure).toBe(true);
      expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    } finally {
      await proxied.dispose();
    }
  });
});

describe("GET /api/session", () => {
  it("returns the record from the store, never the secret token", async () => {
    const c = client();
    const { email } = await signUp(c);
    const response = await c.get("/api/session");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      user: { email },
      instance: server.env.INSTANCE_ID,
      session: { store: "database" },
    });
    const { session } = response.body;
    expect(Object.keys(session).sort()).toEqual([
      "createdAt",
      "expiresAt",
      "id",
      "idleExpiresAt",
      "lastSeenAt",
      "store",
    ]);
    expect(response.text).not.toContain(c.cookie("authlab_session")!.value);
    expect(response.headers.get("x-authlab-layer")).toBe("node-handler");
    expect(response.headers.get("server-timing")).toMatch(/store;dur=/);
    expect(new Date(session.expiresAt).getTime() - new Date(session.createdAt).getTime()).toBe(7 * 24 * 3600 * 1000);
  });

  it("answers 401 no_session with no cookie", async () => {
    const response = await client().get("/api/session");
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("no_session");
  });
});

describe("logout", () => {
  it("deletes the record, revokes the refresh family and clears both cookies; a replayed cookie fails", async () => {
    const c = client();
    await signUp(c);
    const seal = c.cookie("authlab_session")!.value;
    const refresh = c.cookie("authlab_refresh")!.value;
    const response = await c.post("/api/auth/logout");
    expect(response.status).toBe(204);
    const cleared = Object.fromEntries(response.setCookies.map((s) => [s.name, s]));
    expect(cleared.authlab_session!.attributes["max-age"]).toBe("0");
    expect(cleared.authlab_refresh!.attributes["max-age"]).toBe("0");
    expect(cleared.authlab_refresh!.path).toBe("/api/auth");

    const replay = new Client(server.url);
    replay.setCookie("authlab_session", seal);
    expect((await replay.get("/api/session")).status).toBe(401);
    replay.setCookie("authlab_refresh", refresh, "/api/auth");
    const refreshed = await replay.post("/api/auth/refresh");
    expect(refreshed.status).toBe(401);
    expect(refreshed.body.error).toBe("invalid_grant");
  });

  it("is idempotent without a session", async () => {
    expect((await client().post("/api/auth/logout")).status).toBe(204);
  });
});

describe("sessions list and revocation", () => {
  it("lists every session of the user with the caller's marked current", async () => {
    const a = client();
    const { email } = await signUp(a);
    const b = client();
    await b.post(
      "/api/auth/login",
      { email, password: GOOD_PASSWORD },
      { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" } },
    );
    const list = await a.get("/api/sessions");
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(2);
    expect(list.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
    expect(other).toMatchObject({ device: "Firefox on Linux", ip: "127.0.0.1" });
    for (const s of list.body.sessions)
      expect(Object.keys(s).sort()).toEqual(["createdAt", "current", "device", "id", "ip", "lastSeenAt"]);
  });

  it("revoking another session ends it on its very next request", async () => {
    const a = client();
    const { email } = await signUp(a);
    const b = client();
    await b.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const other = (await a.get("/api/sessions")).body.sessions.find((s: { current: boolean }) => !s.current);
    const revoked = await a.delete(`/api/sessions/${other.id}`);
    expect(revoked.status).toBe(200);
    expect((await b.get("/api/session")).status).toBe(401);
    expect((await a.get("/api/session")).status).toBe(200);
    // Its refresh family went with it.
    expect((await b.post("/api/auth/refresh")).status).toBe(401);
  });

  it("cannot revoke another user's session (404, theirs keeps working)", async () => {
    const victim = client();
    await signUp(victim);
    const victimSession = (await victim.get("/api/session")).body.session.id;
    const attacker = client();
    await signUp(attacker);
    const response = await attacker.delete(`/api/sessions/${victimSession}`);
    expect(response.status).toBe(404);
    expect((await victim.get("/api/session")).status).toBe(200);
  });

  it("of ten concurrent revocations of one session exactly one wins; the rest find nothing to revoke", async () => {
    const a = client();
    const { email } = await signUp(a);
    const b = client();
    await b.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const other = (await a.get("/api/sessions")).body.sessions.find((s: { current: boolean }) => !s.current);
    const results = await Promise.all(Array.from({ length: 10 }, () => a.delete(`/api/sessions/${other.id}`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(404)]);
    expect((await b.get("/api/session")).status).toBe(401);
  });

  it("DELETE /api/sessions ends every session but the current one", async () => {
    const a = client();
    const { email } = await signUp(a);
    const others = [client(), client()];
    for (const o of others) await o.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const response = await a.delete("/api/sessions");
    expect(response.status).toBe(200);
    expect(response.body.revoked).toBe(2);
    for (const o of others) expect((await o.get("/api/session")).status).toBe(401);
    expect((await a.get("/api/session")).status).toBe(200);
  });
});

describe("password change", () => {
  it("needs the current password, ends every other session, keeps this one, and the new password works", async () => {
    const a = client();
    const { email } = await signUp(a);
    const b = client();
    await b.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    const wrong = await a.post("/api/account/password", {
      currentPassword: "nope nope nope",
      newPassword: "a brand new passphrase",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_credentials");
    const changed = await a.post("/api/account/password", {
      currentPassword: GOOD_PASSWORD,
      newPassword: "a brand new passphrase",
    });
    expect(changed.status).toBe(200);
    expect(changed.body.endedSessions).toBe(1);
    expect((await b.get("/api/session")).status).toBe(401);
    expect((await a.get("/api/session")).status).toBe(200);
    expect((await client().post("/api/auth/login", { email, password: GOOD_PASSWORD })).status).toBe(401);
    expect((await client().post("/api/auth/login", { email, password: "a brand new passphrase" })).status).toBe(200);
  });
});

describe("admin role change", () => {
  it("is admin only, and the target's session sees the new role at its very next request", async () => {
    const user = client();
    const target = await signUp(user);
    expect((await user.get("/api/session")).body.user.role).toBe("USER");

    const notAdmin = client();
    await signUp(notAdmin);
    const refused = await notAdmin.request(`/api/users/${target.user.id}/role`, {
      method: "PUT",
      json: { role: "ADMIN" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("forbidden");

    const admin = client();
    const adminAccount = await signUp(admin);
    await setRole(server.database, adminAccount.email, "ADMIN");
    const changed = await admin.request(`/api/users/${target.user.id}/role`, {
      method: "PUT",
      json: { role: "ADMIN" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ id: target.user.id, role: "ADMIN" });
    expect((await user.get("/api/session")).body.user.role).toBe("ADMIN");

    const self = await admin.request(`/api/users/${adminAccount.user.id}/role`, {
      method: "PUT",
      json: { role: "USER" },
    });
    expect(self.status).toBe(400);
    const bad = await admin.request(`/api/users/${target.user.id}/role`, { method: "PUT", json: { role: "ROOT" } });
    expect(bad.status).toBe(400);
    const missing = await admin.request(`/api/users/999999/role`, { method: "PUT", json: { role: "USER" } });
    expect(missing.status).toBe(404);
    // Past the database's 32-bit integer: still "no such user", never a 500 from the driver.
    const outOfRange = await admin.request(`/api/users/9999999999/role`, { method: "PUT", json: { role: "USER" } });
    expect(outOfRange.status).toBe(404);
    expect(outOfRange.body.error).toBe("not_found");
  });

  it("pages ignore notice names that are not theirs, including Object.prototype's members", async () => {
    const admin = client();
    const account = await signUp(admin);
    await setRole(server.database, account.email, "ADMIN");
    for (const path of [
      "/sessions?notice=constructor",
      "/sessions?notice=__proto__",
      "/admin?notice=toString",
      "/admin?notice=changed&user=<b>x</b>&role=ROOT",
    ]) {
      const page = await admin.get(path);
      expect(page.status, path).toBe(200);
      expect(page.text, path).not.toContain("<b>x</b>");
    }
  });
});
