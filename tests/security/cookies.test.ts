/**
 * The cookie half under attack, against a real production server: forged and foreign seals,
 * fixation, replay after logout, and cross-site requests on every cookie-authenticated state change
 * (login and sign-up included, and the no-JavaScript forms, which are server actions).
 */
import { describe, expect, it } from "vitest";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";

const server = useAppServer();

const client = () => new Client(server.url);

describe("forged cookies", () => {
  it.each([
    ["a flipped character", (seal: string) => seal.slice(0, 40) + (seal[40] === "a" ? "b" : "a") + seal.slice(41)],
    ["a truncated seal", (seal: string) => seal.slice(0, seal.length - 20)],
    ["garbage", () => "Fe26.2*1*garbage*garbage"],
    ["random text", () => "hello"],
    ["a huge value", () => `Fe26.2*${"A".repeat(3900)}`],
  ])("reads %s as signed out (401), never a 5xx", async (_label, tamper) => {
    const c = client();
    await signUp(c);
    const attacker = new Client(server.url);
    attacker.setCookie("authlab_session", tamper(c.cookie("authlab_session")!.value));
    const response = await attacker.get("/api/session");
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("no_session");
  });
});

describe("fixation and replay", () => {
  it("a new login issues a new token (no fixation) and ends the browser's previous session", async () => {
    const c = client();
    const { email } = await signUp(c);
    const first = c.cookie("authlab_session")!.value;
    const firstRefresh = c.cookie("authlab_refresh")!.value;
    const old = new Client(server.url);
    old.setCookie("authlab_session", first);
    expect((await old.get("/api/session")).status).toBe(200);
    const login = await c.post("/api/auth/login", { email, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    expect(c.cookie("authlab_session")!.value).not.toBe(first);
    expect((await old.get("/api/session")).status).toBe(401);
    expect((await c.get("/api/session")).status).toBe(200);
    // The refresh token issued beside the old session ends with it.
    old.setCookie("authlab_refresh", firstRefresh, "/api/auth");
    expect((await old.post("/api/auth/refresh")).body.error).toBe("invalid_grant");
  });

  it("signing up in a signed-in browser ends that browser's previous session and refresh family", async () => {
    const c = client();
    await signUp(c);
    const old = client();
    old.setCookie("authlab_session", c.cookie("authlab_session")!.value);
    old.setCookie("authlab_refresh", c.cookie("authlab_refresh")!.value, "/api/auth");
    await signUp(c);
    expect((await old.get("/api/session")).status).toBe(401);
    expect((await old.post("/api/auth/refresh")).body.error).toBe("invalid_grant");
    expect((await c.get("/api/session")).status).toBe(200);
  });

  it("the header's plain sign-out form ends the session and redirects to the sign-in page", async () => {
    const c = client();
    await signUp(c);
    const seal = c.cookie("authlab_session")!.value;
    const response = await c.request("/api/auth/logout", {
      method: "POST",
      body: "",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(303);
    expect(
      new URL(response.headers.get("location")!).pathname + new URL(response.headers.get("location")!).search,
    ).toBe("/login?signedOut=1");
    expect(c.cookie("authlab_session")).toBeUndefined();
    expect(c.cookie("authlab_refresh")).toBeUndefined();
    const replay = client();
    replay.setCookie("authlab_session", seal);
    expect((await replay.get("/api/session")).status).toBe(401);
  });

  it("a cookie and a refresh token replayed after logout are both refused", async () => {
    const c = client();
    await signUp(c);
    const seal = c.cookie("authlab_session")!.value;
    const refresh = c.cookie("authlab_refresh")!.value;
    expect((await c.post("/api/auth/logout")).status).toBe(204);
    const replay = client();
    replay.setCookie("authlab_session", seal);
    replay.setCookie("authlab_refresh", refresh, "/api/auth");
    expect((await replay.get("/api/session")).status).toBe(401);
    expect((await replay.post("/api/auth/refresh")).body.error).toBe("invalid_grant");
    expect((await replay.delete("/api/sessions")).status).toBe(401);
  });

  it("a cookie set by the client for the refresh path cannot stand in for a session", async () => {
    const c = client();
    await signUp(c);
    const impostor = client();
    impostor.setCookie("authlab_session", c.cookie("authlab_refresh")!.value);
    expect((await impostor.get("/api/session")).status).toBe(401);
  });
});

describe("CSRF", () => {
  const evil = { origin: "https://evil.example" };

  it.each([
    ["POST", "/api/auth/logout"],
    ["DELETE", "/api/sessions"],
    ["POST", "/api/account/password"],
    ["PUT", "/api/users/1/role"],
    ["POST", "/api/auth/refresh"],
  ])("%s %s from another origin → 403 csrf, and nothing changes", async (method, path) => {
    const c = client();
    await signUp(c);
    const response = await c.request(path, { method, headers: evil, json: {} });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe("csrf");
    expect((await c.get("/api/session")).status).toBe(200);
  });

  it("login and sign-up refuse a cross-site request (login CSRF)", async () => {
    const { email } = await signUp(client());
    const login = await client().post("/api/auth/login", { email, password: GOOD_PASSWORD }, { headers: evil });
    expect(login.status).toBe(403);
    expect(login.setCookies).toEqual([]);
    const signup = await client().post(
      "/api/auth/signup",
      { email: uniqueEmail(), password: GOOD_PASSWORD },
      { headers: { "sec-fetch-site": "cross-site" }, sameOrigin: false },
    );
    expect(signup.status).toBe(403);
  });

  it("accepts same-origin requests and requests without browser headers (not a browser, so no victim cookies)", async () => {
    const c = client();
    await signUp(c);
    expect(
      (await c.delete("/api/sessions", { headers: { "sec-fetch-site": "same-origin" }, sameOrigin: false })).status,
    ).toBe(200);
    expect((await c.delete("/api/sessions", { sameOrigin: false })).status).toBe(200);
  });
});

describe("cross-site form posts to pages (server actions)", () => {
  it("are refused with 403 csrf before they reach Next, not a 500", async () => {
    const form = new FormData();
    form.set("email", "victim@example.test");
    form.set("password", GOOD_PASSWORD);
    for (const path of ["/login", "/signup", "/sessions", "/admin"]) {
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        body: form,
        headers: { origin: "https://evil.example", "next-action": "0".repeat(40) },
        redirect: "manual",
      });
      expect(response.status, path).toBe(403);
      expect((await response.json()).error).toBe("csrf");
    }
  });

  it("a malformed same-site action is a 4xx", async () => {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      body: "garbage",
      headers: { origin: server.url, "next-action": "deadbeef", "content-type": "text/plain" },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe("malformed cookie headers", () => {
  it.each([
    ["bad percent-encoding", "authlab_session=%E0%A4%A"],
    ["unbalanced quotes", 'authlab_session="Fe26.2*1*a; x="'],
    ["thousands of cookies", Array.from({ length: 500 }, (_, i) => `c${i}=v`).join("; ")],
    ["the name twice", "authlab_session=a; authlab_session=b"],
  ])("%s reads as signed out, never a 5xx", async (_label, cookie) => {
    const response = await client().get("/api/session", { headers: { cookie } });
    expect(response.status).toBe(401);
  });
});
