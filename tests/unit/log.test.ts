import { describe, expect, it, vi } from "vitest";
import { log, redactText } from "@/lib/server/log";

describe("log redaction", () => {
  it("masks tokens and seals inside text", () => {
    const jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
    expect(redactText(`bad token ${jwt} here`)).toBe("bad token [jwt] here");
    expect(redactText("cookie Fe26.2*1*abc*def~2 end")).toBe("cookie [sealed] end");
  });

  it("drops fields named like secrets, even when a caller passes them", () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => undefined);
    log.info("test.event", {
      userId: 1,
      password: "hunter2hunter2",
      refreshToken: "abc",
      nested: { cookie: "x", ok: true },
    });
    const line = spy.mock.calls[0]![0] as string;
    spy.mockRestore();
    expect(line).toContain('"userId":1');
    expect(line).not.toContain("hunter2");
    expect(line).not.toContain("refreshToken");
    expect(JSON.parse(line).nested).toEqual({ ok: true });
  });
});
