import { describe, expect, it } from "vitest";
import { TEST_DATABASE_KIND } from "../helpers/app-server";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";
import { TEST_GATE } from "../helpers/gate";

const server = useAppServer();

const client = () => new Client(server.url);

describe("sign-up", () => {
  it("creates an account and answers 201 with the user, an access token and both cookies", async () => {
    const c = client();
    const email = uniqueEmail();
    const response = await c.post("/api/auth/signup", { email, password: GOOD_PASSWORD, name: "Ada" });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      user: { email, name: "Ada", role: "USER" },
      tokenType: "Bearer",
      expiresIn: 900,
    });
    expect(response.body.user.id).toEqual(expect.any(Number));
    expect(response.body.accessToken.split(".")).toHaveLength(3);
    expect(response.body.user).not.toHaveProperty("passwordHash");
    expect(c.cookie("authlab_session")).toBeDefined();
    expect(c.cookie("authlab_refresh")).toBeDefined();
  });

  it("stores the email normalised, so Alice@x and alice@x are one account", async () => {
    const local = uniqueEmail("Mixed.Case");
    const upper = local.toUpperCase();
    const first = await client().post("/api/auth/signup", { email: `  ${upper} `, password: GOOD_PASSWORD });
    expect(first.status).toBe(201);
    expect(first.body.user.email).toBe(local.toLowerCase());
    const second = await client().post("/api/auth/signup", { email: local.toLowerCase(), password: GOOD_PASSWORD });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ error: "email_taken", error_description: expect.any(String) });
  });

  it("gives exactly one 201 and one 409 to two concurrent sign-ups with one email", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all(
      [1, 2].map(() => client().post("/api/auth/signup", { email, password: GOOD_PASSWORD })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("accepts a 128-character password and a 64-character one, and refuses 7 and 129 characters", async () => {
    for (const length of [64, 128]) {
      const response = await client().post("/api/auth/signup", { email: uniqueEmail(), password: "p".repeat(length) });
      expect(response.status, `length ${length}`).toBe(201);
    }
    for (const length of [7, 129]) {
      const response = await client().post("/api/auth/signup", { email: uniqueEmail(), password: "p".repeat(length) });
      expect(response.status, `length ${length}`).toBe(400);
      expect(response.body.error).toBe("invalid_request");
      expect(response.body.field).toBe("password");
    }
  });

  it("never truncates: a password that differs only after character 72 is a different password", async () => {
    const base = "a".repeat(72);
    const { email } = await signUp(client(), uniqueEmail(), `${base}-first`);
    const wrong = await client().post("/api/auth/login", { email, password: `${base}-other` });
    expect(wrong.status).toBe(401);
    const right = await client().post("/api/auth/login", { email, password: `${base}-first` });
    expect(right.status).toBe(200);
  });
});

describe("bad input never produces a 5xx", () => {
  /** label, headers, body, status, error code, and the rejected field where the body names one. */
  const cases: [string, Record<string, string>, string | undefined, number, string, string?][] = [
    ["malformed JSON", { "content-type": "application/json" }, "{not json", 400, "invalid_json"],
    ["a JSON array", { "content-type": "application/json" }, "[]", 400, "invalid_request"],
    ["null", { "content-type": "application/json" }, "null", 400, "invalid_request"],
    [
      "wrong types",
      { "content-type": "application/json" },
      JSON.stringify({ email: 42, password: true }),
      400,
      "invalid_request",
      "email",
    ],
    ["missing fields", { "content-type": "application/json" }, "{}", 400, "invalid_request", "email"],
    [
      "an unexpected field",
      { "content-type": "application/json" },
      JSON.stringify({ email: "a@b.test", password: "x".repeat(10), role: "ADMIN" }),
      400,
      "invalid_request",
      "role",
    ],
    [
      "an invalid email",
      { "content-type": "application/json" },
      JSON.stringify({ email: "not-an-email", password: "x".repeat(10) }),
      400,
      "invalid_request",
      "email",
    ],
    [
      "a form body",
      { "content-type": "application/x-www-form-urlencoded" },
      "email=a&password=b",
      415,
      "unsupported_media_type",
    ],
    ["no content type", {}, "{}", 415, "unsupported_media_type"],
    ["invalid UTF-8", { "content-type": "application/json" }, undefined, 400, "invalid_json"],
  ];

  for (const endpoint of ["/api/auth/signup", "/api/auth/login"]) {
    for (const [label, headers, body, status, code, field] of cases) {
      it(`${endpoint}: ${label} → ${status} ${code}`, async () => {
        const raw = body ?? new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
        const response = await client().request(endpoint, { method: "POST", headers, body: raw });
        expect(response.status).toBe(status);
        expect(response.body).toEqual({
          error: code,
          error_description: expect.any(String),
          ...(field ? { field } : {}),
        });
      });
    }
  }

  it("refuses a body over 16 KB with 413, and a 1 MB password quickly, without hashing it", async () => {
    const big = JSON.stringify({ email: uniqueEmail(), password: "x".repeat(1024 * 1024) });
    const started = performance.now();
    const response = await client().request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: big,
    });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(413);
    expect(response.body.error).toBe("payload_too_large");
    expect(elapsed).toBeLessThan(2000);
  });

  it("refuses an oversized chunked body (no Content-Length) with 413", async () => {
    const chunk = new TextEncoder().encode("x".repeat(8 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 8) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${server.url}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});

describe("login", () => {
  it("signs in with the same email in any case and returns the contract body", async () => {
    const { email } = await signUp(client());
    const response = await client().post("/api/auth/login", { email: email.toUpperCase(), password: GOOD_PASSWORD });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(["accessToken", "expiresIn", "tokenType", "user"]);
    expect(Object.keys(response.body.user).sort()).toEqual(["email", "id", "name", "role"]);
  });
});

describe("health", () => {
  it("answers without authentication and names the instance and store", async () => {
    const response = await client().get("/api/health");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: true,
      instance: server.env.INSTANCE_ID,
      gate: TEST_GATE,
      sessionStore: "database",
      storeReachable: true,
      storeCircuit: "closed",
      database: TEST_DATABASE_KIND,
      // When this process started: the dashboard's Restart watches it change.
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(Date.parse(response.body.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(response.headers.get("x-authlab-instance")).toBe(server.env.INSTANCE_ID);
  });
});
