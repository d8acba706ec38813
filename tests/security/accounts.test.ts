/**
 * Accounts under attack, against a real production server: telling registered emails apart by
 * status, body or timing; guessing passwords (per-account and per-address throttling, whatever
 * X-Forwarded-For claims); password bounds; redirects after sign-in.
 */
import { describe, expect, it } from "vitest";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { BrowserClient } from "../helpers/observability";
import { countSecurityEvents } from "../helpers/db";
import { startAppServer } from "../helpers/app-server";
import { useAppServer } from "../helpers/use-app-server";

// Many accounts fail from one address here; the per-address limit has its own test and server.
const server = useAppServer({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: "100000" } });

const client = () => new Client(server.url);

describe("enumeration", () => {
  it("answers an unknown email and a wrong password identically", async () => {
    const { email } = await signUp(client());
    const wrongPassword = await client().post("/api/auth/login", { email, password: "not the password" });
    const unknownEmail = await client().post("/api/auth/login", {
      email: uniqueEmail("nobody"),
      password: "not the password",
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body.error).toBe("invalid_credentials");
    expect(wrongPassword.setCookies).toEqual([]);
  });

  it("takes about as long for an unknown email as for a wrong password (a dummy hash is verified)", async () => {
    const { email } = await signUp(client());
    const time = async (body: object) => {
      const started = performance.now();
      await client().post("/api/auth/login", body);
      return performance.now() - started;
    };
    // The fastest of several interleaved tries: load on a shared machine only ever adds time, so the
    // minimum is the steadiest estimate of the work each answer took.
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 9; i++) {
      known.push(await time({ email, password: `wrong-${i}-password` }));
      unknown.push(await time({ email: uniqueEmail("ghost"), password: `wrong-${i}-password` }));
    }
    const ratio = Math.min(...unknown) / Math.min(...known);
    // Without the dummy hash an unknown email answers in a fraction of the argon2id time.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe("password guessing", () => {
  it("10 failures in 15 minutes lock the account: 429 with Retry-After, even for the right password, on a rotating X-Forwarded-For", async () => {
    const { email } = await signUp(client());
    for (let i = 0; i < 10; i++) {
      const response = await client().post(
        "/api/auth/login",
        { email, password: `guess-${i}-wrong` },
        { headers: { "x-forwarded-for": `198.51.100.${i + 1}` } },
      );
      expect(response.status).toBe(401);
    }
    const locked = await client().post(
      "/api/auth/login",
      { email, password: GOOD_PASSWORD },
      { headers: { "x-forwarded-for": "203.0.113.200" } },
    );
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe("rate_limited");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Another account is unaffected.
    const other = await signUp(client());
    expect((await client().post("/api/auth/login", { email: other.email, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it("30 guesses sent at once get at most 10 answers: each attempt is counted before the password is checked", async () => {
    const { email } = await signUp(client());
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        client()
          .post("/api/auth/login", { email, password: `parallel-${i}-wrong` })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it("a successful sign-in clears the account's count of failures", async () => {
    const { email } = await signUp(client());
    for (let i = 0; i < 9; i++)
      expect((await client().post("/api/auth/login", { email, password: `typo-${i}-wrong` })).status).toBe(401);
    expect((await client().post("/api/auth/login", { email, password: GOOD_PASSWORD })).status).toBe(200);
    for (let i = 0; i < 9; i++)
      expect((await client().post("/api/auth/login", { email, password: `typo-${i}-again` })).status).toBe(401);
  });

  it("locks an email that has no account the same way, so a 429 reveals nothing", async () => {
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 10; i++)
      expect((await client().post("/api/auth/login", { email: ghost, password: `guess-${i}-wrong` })).status).toBe(401);
    expect((await client().post("/api/auth/login", { email: ghost, password: "guess-final" })).status).toBe(429);
  });

  it("the per-address limit counts the socket's address: rotating X-Forwarded-For across many accounts, in parallel, does not reset it", async () => {
    const spray = await startAppServer({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: "5" } });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          new Client(spray.url)
            .post(
              "/api/auth/login",
              { email: uniqueEmail("spray"), password: "Winter2026!" },
              { headers: { "x-forwarded-for": `10.9.8.${i}`, "x-real-ip": `10.9.8.${i}` } },
            )
            .then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    } finally {
      await spray.dispose();
    }
  });

  it("a wrong current password on the password-change form counts as a failed sign-in", async () => {
    const c = client();
    const { email } = await signUp(c);
    for (let i = 0; i < 10; i++)
      expect(
        (
          await c.post("/api/account/password", {
            currentPassword: `nope-${i}-nope`,
            newPassword: "another long passphrase",
          })
        ).status,
      ).toBe(401);
    expect(
      (
        await c.post("/api/account/password", {
          currentPassword: GOOD_PASSWORD,
          newPassword: "another long passphrase",
        })
      ).status,
    ).toBe(429);
    expect((await client().post("/api/auth/login", { email, password: GOOD_PASSWORD })).status).toBe(429);
  });
});

describe("the audit trail under a guessing flood", () => {
  /** Waits until this server's pending audit writes have landed (the lab's effects read settles them first). */
  async function auditSettled(signedIn: Client) {
    expect((await signedIn.get("/api/lab/events")).status).toBe(200);
  }

  it("a locked account is recorded once, not once per refused attempt, and the owner sees it", async () => {
    const owner = client();
    const { email, user } = await signUp(owner);
    const attacker = new BrowserClient(server.url, `guesser/${uniqueEmail("ua")}`);
    for (let i = 0; i < 10; i++)
      expect((await attacker.post("/api/auth/login", { email, password: `guess-${i}-wrong` })).status).toBe(401);
    for (let i = 0; i < 20; i++)
      expect((await attacker.post("/api/auth/login", { email, password: `more-${i}-wrong` })).status).toBe(429);
    await auditSettled(owner);

    expect(await countSecurityEvents(server.database, "sign_in_throttled", { userAgent: attacker.userAgent })).toBe(1);
    // Attached to the account, so it is on the owner's own list (/sessions reads the same events).
    expect(await countSecurityEvents(server.database, "sign_in_throttled", { userId: user.id })).toBe(1);
    const mine = await owner.get("/api/lab/events?after=0");
    expect(mine.body.events).toContainEqual(
      expect.objectContaining({
        event: "sign_in_throttled",
        userId: user.id,
        detail: expect.objectContaining({ limit: "account" }),
      }),
    );
  });

  it("an address at its limit is recorded once however many attempts it goes on making", async () => {
    const flood = await startAppServer({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: "3" } });
    try {
      for (let i = 0; i < 3; i++)
        expect(
          (await new Client(flood.url).post("/api/auth/login", { email: uniqueEmail("f"), password: "Winter2026!" }))
            .status,
        ).toBe(401);
      for (let i = 0; i < 25; i++)
        expect(
          (await new Client(flood.url).post("/api/auth/login", { email: uniqueEmail("f"), password: "Winter2026!" }))
            .status,
        ).toBe(429);
      const witness = new Client(flood.url);
      await signUp(witness);
      await auditSettled(witness);
      expect(await countSecurityEvents(flood.database, "sign_in_throttled", { userId: null })).toBe(1);
    } finally {
      await flood.dispose();
    }
  });
});

describe("password bounds", () => {
  it("a 64-character password works; a 1 MB one is refused fast without being hashed", async () => {
    const long = "x".repeat(64);
    const { email } = await signUp(client(), uniqueEmail(), long);
    expect((await client().post("/api/auth/login", { email, password: long })).status).toBe(200);
    const started = performance.now();
    const huge = await client().post("/api/auth/login", { email, password: "y".repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe("redirects after sign-in", () => {
  it.each(["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "%2F%2Fevil.example"])(
    "next=%s never leaves the site",
    async (next) => {
      const page = await client().get(`/login?next=${encodeURIComponent(next)}`);
      expect(page.status).toBe(200);
      const field = /name="next" value="([^"]*)"/.exec(page.text)?.[1];
      expect(field).toBe("/dashboard");
    },
  );

  it("a protected page sends you to /login with a same-site next", async () => {
    const response = await client().request("/sessions?tab=1", { method: "GET" });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toMatch(
      /^(http:\/\/127\.0\.0\.1:\d+)?\/login\?next=%2Fsessions%3Ftab%3D1&reason=sign_in_required$/,
    );
  });
});
