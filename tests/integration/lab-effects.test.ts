/**
 * GET /api/lab/events: what an experiment left behind — the caller's own security events after a
 * cursor, and this instance's auth counters. Never another account's events.
 */
import { describe, expect, it } from "vitest";
import { useAppServer } from "../helpers/use-app-server";
import { Client, signUp } from "../helpers/http-client";

const server = useAppServer({ env: { AUTHLAB_ENV: "development" } });

describe("GET /api/lab/events", () => {
  it("needs a session and a well-formed cursor", async () => {
    expect((await new Client(server.url).get("/api/lab/events")).status).toBe(401);
    const c = new Client(server.url);
    await signUp(c);
    const bad = await c.get("/api/lab/events?after=-1");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: "invalid_request", field: "after" });
  });

  it("returns only the caller's own events after the cursor, and the counters that moved", async () => {
    const me = new Client(server.url);
    const { email } = await signUp(me);
    const before = await me.get("/api/lab/events");
    expect(before.status).toBe(200);
    expect(before.body.events).toEqual([]);

    // Someone else's sign-in in between is not mine to see.
    const other = new Client(server.url);
    await signUp(other);
    await me.post("/api/auth/login", { email, password: "not my password" });
    const first = me.cookie("authlab_refresh")!.value;
    await me.post("/api/auth/refresh");
    await me.post("/api/auth/refresh");
    const thief = new Client(server.url);
    thief.setCookie("authlab_refresh", first, "/api/auth");
    await thief.post("/api/auth/refresh");

    const after = await me.get(`/api/lab/events?after=${before.body.cursor}`);
    expect(after.status).toBe(200);
    const events = after.body.events.map((e: { event: string }) => e.event);
    expect(events).toEqual(["sign_in_failed", "refresh_reuse_detected"]);
    expect(after.body.events[1].description).toMatch(/^Refresh token reused from 127\.0\.0\.1/);
    const reuse = "authlab_refresh_reuse_detected_total";
    expect(after.body.counters[reuse] - (before.body.counters[reuse] ?? 0)).toBe(1);
    expect(after.body.cursor).toBeGreaterThan(before.body.cursor);
  });
});
