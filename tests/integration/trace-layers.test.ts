/**
 * Every response the dashboard traces after a check names the layer that made it (x-authlab-layer),
 * success and refusal alike: a trace that says "checked by nothing" about a checked request is false.
 */
import { describe, expect, it } from "vitest";
import { useAppServer } from "../helpers/use-app-server";
import { Client, signUp } from "../helpers/http-client";

const LAYER = "x-authlab-layer";

describe("the layer header", () => {
  const server = useAppServer();

  it("is on a successful and a refused refresh", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const refreshed = await c.post("/api/auth/refresh");
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get(LAYER)).toBe("node-handler");
    const refused = await new Client(server.url).post("/api/auth/refresh");
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe("invalid_grant");
    expect(refused.headers.get(LAYER)).toBe("node-handler");
  });

  it("is on a successful DELETE /api/sessions and a successful logout", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const others = await c.delete("/api/sessions");
    expect(others.status).toBe(200);
    expect(others.headers.get(LAYER)).toBe("node-handler");
    const out = await c.post("/api/auth/logout");
    expect(out.status).toBe(204);
    expect(out.headers.get(LAYER)).toBe("node-handler");
  });
});
