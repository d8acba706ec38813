/**
 * The events a user reads on /sessions (and an admin on /admin/audit) say what happened: a sign-up is
 * not a sign-in, the lab's new refresh family is not a sign-in either, nothing signed out is not "0
 * sessions", and a role changed through the lab says who changed it.
 */
import { describe, expect, it } from "vitest";
import { describeEvent } from "@/lib/server/audit/describe";
import type { SecurityEventDto } from "@/lib/server/audit/events";

const event = (name: SecurityEventDto["event"], detail: SecurityEventDto["detail"] = {}): SecurityEventDto => ({
  id: 1,
  at: "2026-12-07T10:00:00.000Z",
  event: name,
  userId: 7,
  sessionId: "s1",
  ip: "203.0.113.7",
  userAgent: null,
  detail,
});

describe("security events in words", () => {
  it("a sign-up reads as an account created, a sign-in as a sign-in", () => {
    expect(describeEvent(event("sign_in_succeeded", { via: "signup" }))).toMatch(/^Account created and signed in /);
    expect(describeEvent(event("sign_in_succeeded"))).toMatch(/^Signed in /);
  });

  it("the lab's new refresh family is not called a new sign-in", () => {
    const text = describeEvent(event("refresh_family_revoked", { reason: "lab_new_family", count: 1 }));
    expect(text).not.toMatch(/sign-in/);
    expect(text).toMatch(/lab/);
  });

  it("signing out other sessions when there were none says so, not “0 other sessions”", () => {
    expect(describeEvent(event("sessions_revoked_all", { count: 0 }))).toMatch(/there was none$/);
    expect(describeEvent(event("sessions_revoked_all", { count: 1 }))).toMatch(/^Signed out 1 other session /);
  });

  it("a role changed through the lab names who did it", () => {
    expect(describeEvent(event("role_changed", { role: "ADMIN", changedBy: 7, via: "lab" }))).toBe(
      "Role changed to ADMIN by yourself, with the lab's role experiment",
    );
    expect(describeEvent(event("role_changed", { role: "USER", changedBy: 3 }))).toBe(
      "Role changed to USER by admin #3",
    );
  });
});
