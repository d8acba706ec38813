import { describe, expect, it } from "vitest";
import { startAppServer, testSecrets } from "../helpers/app-server";
import { Client, signUp } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";

const OLD = "old-password-".padEnd(48, "o");
const NEW = "new-password-".padEnd(48, "n");

const server = useAppServer({ env: { SESSION_PASSWORD: OLD } });

describe("SESSION_PASSWORD rotation", () => {
  it("adding a password keeps existing sessions, seals new ones with the newest, and removing the old one ends its sessions", async () => {
    const before = new Client(server.url);
    await signUp(before);
    expect(before.cookie("authlab_session")!.value).toMatch(/^Fe26\.2\*1\*/);

    await server.restart({ SESSION_PASSWORD: JSON.stringify({ 1: OLD, 2: NEW }) });
    expect((await before.get("/api/session")).status).toBe(200);
    const after = new Client(server.url);
    await signUp(after);
    expect(after.cookie("authlab_session")!.value).toMatch(/^Fe26\.2\*2\*/);

    await server.restart({ SESSION_PASSWORD: JSON.stringify({ 2: NEW }) });
    expect((await before.get("/api/session")).status).toBe(401);
    expect((await after.get("/api/session")).status).toBe(200);
  });

  it("a cookie sealed by a server with another password reads as signed out", async () => {
    const stranger = await startAppServer({ env: { SESSION_PASSWORD: (await testSecrets()).SESSION_PASSWORD } });
    try {
      const elsewhere = new Client(stranger.url);
      await signUp(elsewhere);
      const here = new Client(server.url);
      here.setCookie("authlab_session", elsewhere.cookie("authlab_session")!.value);
      const response = await here.get("/api/session");
      expect(response.status).toBe(401);
    } finally {
      await stranger.dispose();
    }
  });
});
