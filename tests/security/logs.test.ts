/**
 * Secrets never reach the log. A server is put through sign-ups, good and bad logins, refreshes,
 * forged tokens and cookies, a store outage and logout; then its whole output is searched for every
 * password, token, cookie value and secret that passed through it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { Client, signUp, uniqueEmail } from "../helpers/http-client";
import { parsePrivateJwks } from "@/lib/edge/jwt/jwks-schema";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { requireBinary } from "../helpers/system";

const haveRedis = requireBinary("redis-server", "apt-get install redis-server");
let server: AppServer;
let redis: RedisServer | null = null;

beforeAll(async () => {
  redis = haveRedis ? await startRedis() : null;
  server = await startAppServer({ env: redis ? { SESSION_STORE: "redis", REDIS_URL: redis.url } : {} });
});
afterAll(async () => {
  await server?.dispose();
  await redis?.dispose();
});

describe("the server log", () => {
  it("contains no password, token, cookie value or secret", async () => {
    const secrets: string[] = [];
    const password = "a-very-secret-passphrase-4242";
    const c = new Client(server.url);
    const account = await signUp(c, uniqueEmail("logs"), password);
    secrets.push(password, account.accessToken, c.cookie("authlab_session")!.value, c.cookie("authlab_refresh")!.value);

    const wrong = "another-secret-wrong-guess-77";
    await new Client(server.url).post("/api/auth/login", { email: account.email, password: wrong });
    secrets.push(wrong);
    await new Client(server.url).post("/api/auth/login", {
      email: "nobody@example.test",
      password: "ghost-password-secret-1",
    });
    secrets.push("ghost-password-secret-1");
    const refreshed = await c.post("/api/auth/refresh");
    secrets.push(refreshed.body.accessToken, c.cookie("authlab_refresh")!.value);
    await c.get("/api/me", { bearer: `${refreshed.body.accessToken.slice(0, -3)}AAA` });
    await c.get("/api/me", { bearer: refreshed.body.accessToken });
    const forged = new Client(server.url);
    forged.setCookie("authlab_session", `${c.cookie("authlab_session")!.value.slice(0, -5)}xxxxx`);
    await forged.get("/api/session");
    await c.post("/api/account/password", { currentPassword: password, newPassword: "the-new-secret-passphrase-99" });
    secrets.push("the-new-secret-passphrase-99");
    await c.post("/api/auth/signup", { email: "not-an-email", password: "weird-secret-signup-pw" });
    secrets.push("weird-secret-signup-pw");

    if (redis) {
      // Errors are logged while the store is down; they must not carry the cookie either.
      await redis.stop();
      await c.get("/api/session");
      await redis.start();
    }
    await c.post("/api/auth/logout");

    const { SESSION_PASSWORD, JWT_PRIVATE_JWKS } = server.env;
    secrets.push(SESSION_PASSWORD!);
    const jwks = parsePrivateJwks(JWT_PRIVATE_JWKS!);
    if (jwks.ok) for (const key of jwks.keys) secrets.push(key.d);

    const log = server.logs();
    expect(log.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(log.includes(secret), `the log contains a secret (${secret.slice(0, 6)}…)`).toBe(false);
      // Nor a recognisable piece of one (a token's signature, a seal's MAC).
      expect(log.includes(secret.slice(-24)), `the log contains the end of a secret (${secret.slice(0, 6)}…)`).toBe(
        false,
      );
    }
    expect(log).toMatch(/login\.failed/);
  });
});
