/**
 * DNS rebinding against a development instance. A page on
 * http://evil.example:PORT whose name the attacker re-points at 127.0.0.1 talks to the developer's
 * server from the attacker's origin: the browser sends `Host: evil.example:PORT` and
 * `Origin: http://evil.example:PORT`. Without APP_ORIGIN the own-origin check compared Origin with
 * Host, so that page could sign up, sign in (the demo admin's password is published) and drive the
 * lab, and read every page. A development server answers only the names it is served under.
 */
import { describe, expect, it } from "vitest";
import { requestWithHost } from "../helpers/raw-http";
import { uniqueEmail } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";

const server = useAppServer({ env: { AUTHLAB_ENV: "development" } });

const rebound = () => `evil.example:${server.port}`;
const signupBody = () => ({ email: uniqueEmail("rebind"), password: "a long enough password" });

describe("a development server under a foreign Host (DNS rebinding)", () => {
  it.each(["/", "/login", "/dashboard", "/api/health", "/api/session", "/api/me", "/.well-known/jwks.json"])(
    "GET %s → 421 misdirected_request",
    async (path) => {
      const response = await requestWithHost(server.url + path, rebound());
      expect(response.status).toBe(421);
      expect(response.body.error).toBe("misdirected_request");
    },
  );

  it.each(["/api/auth/signup", "/api/auth/login", "/api/lab/restart"])(
    "POST %s from the rebound origin → 421, and nothing happens",
    async (path) => {
      const response = await requestWithHost(server.url + path, rebound(), {
        method: "POST",
        headers: { origin: `http://${rebound()}` },
        json: signupBody(),
      });
      expect(response.status).toBe(421);
      expect(response.body.error).toBe("misdirected_request");
      expect(response.headers["set-cookie"]).toBeUndefined();
    },
  );

  it("a server-action form post under the foreign Host is refused before Next runs it", async () => {
    const response = await requestWithHost(server.url + "/login", rebound(), {
      method: "POST",
      headers: { origin: `http://${rebound()}`, "next-action": "0".repeat(40), "content-type": "text/plain" },
    });
    expect(response.status).toBe(421);
  });
});

describe("the names a development server is served under", () => {
  it.each(["localhost", "127.0.0.1", "[::1]"])("Host %s:PORT works, pages and sign-up", async (name) => {
    const host = `${name}:${server.port}`;
    expect((await requestWithHost(`${server.url}/login`, host)).status).toBe(200);
    const signup = await requestWithHost(`${server.url}/api/auth/signup`, host, {
      method: "POST",
      headers: { origin: `http://${host.toLowerCase()}` },
      json: signupBody(),
    });
    expect(signup.status).toBe(201);
  });

  it("a Host that only looks like a served name is refused too", async () => {
    for (const host of [
      "127.0.0.1@evil.example",
      "evil.example#127.0.0.1",
      "127.0.0.1.evil.example",
      "localhost.evil",
    ]) {
      for (const path of ["/login", "/api/health"]) {
        const response = await requestWithHost(server.url + path, `${host}:${server.port}`);
        expect(response.status, `${host} ${path}`).toBe(421);
      }
    }
  });
});
