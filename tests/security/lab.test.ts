/**
 * The lab in production (issue 19, item 5): admins may use it, but it acts only on their own
 * session. The simulated restart wipes every session in a memory store — everyone's — so, like the
 * role experiment, it runs only in development.
 */
import { describe, expect, it } from "vitest";
import { Client, signUp } from "../helpers/http-client";
import { setRole } from "../helpers/db";
import { useAppServer } from "../helpers/use-app-server";
import { productionEnv } from "../helpers/app-server";

const server = useAppServer({ env: productionEnv({ SESSION_STORE: "memory" }) });

describe("POST /api/lab/restart in production", () => {
  it("is refused even for an admin, and nobody else is signed out", async () => {
    const bystander = new Client(server.url);
    await signUp(bystander);
    const admin = new Client(server.url);
    const { email } = await signUp(admin);
    await setRole(server.database, email, "ADMIN");

    const restart = await admin.post("/api/lab/restart");
    expect(restart.status).toBe(403);
    expect(restart.body.error).toBe("lab_disabled");
    expect((await bystander.get("/api/session")).status).toBe(200);
    expect((await admin.get("/api/session")).status).toBe(200);
  });
});

describe("GET /api/health in production", () => {
  it("does not tell an unauthenticated caller when the process started", async () => {
    const response = await new Client(server.url).get("/api/health");
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(true);
    expect(response.body).not.toHaveProperty("startedAt");
  });
});
