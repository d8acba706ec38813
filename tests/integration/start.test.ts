/**
 * `NODE_ENV=production npm start` refuses to run without real secrets or a metrics token, and says which
 * variable.
 * (Empty variables count as unset, and shadow anything a developer's .env.local holds.)
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateSigningKey } from "@/lib/edge/jwt/generate-key";
import { ROOT } from "../helpers/app-server";

function start(env: Record<string, string>) {
  return spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["--conditions=react-server", "scripts/start.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      AUTHLAB_ENV: "",
      ...env,
    },
  });
}

describe("NODE_ENV=production npm start", () => {
  it("refuses without secrets, naming each missing variable", () => {
    const run = start({ SESSION_PASSWORD: "", JWT_PRIVATE_JWKS: "" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("SESSION_PASSWORD is required but not set");
    expect(run.stderr).toContain("JWT_PRIVATE_JWKS is required but not set");
    expect(run.stdout).not.toMatch(/Generated development secrets/);
  });

  it("refuses generated development secrets, naming the variable, and never prints them", async () => {
    const devPassword = `dev_${"x".repeat(40)}`;
    const devKeys = JSON.stringify({ keys: [await generateSigningKey(true)] });
    const run = start({ SESSION_PASSWORD: devPassword, JWT_PRIVATE_JWKS: devKeys });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "SESSION_PASSWORD holds a generated development secret; set a real one for production",
    );
    expect(run.stderr).toContain(
      "JWT_PRIVATE_JWKS holds a generated development secret; set a real one for production",
    );
    expect(run.stdout + run.stderr).not.toContain(devPassword);
  });

  it("refuses real secrets without METRICS_TOKEN, naming it and METRICS_ENABLED=false, before touching a database", async () => {
    const run = start({
      SESSION_PASSWORD: randomBytes(32).toString("base64url"),
      JWT_PRIVATE_JWKS: JSON.stringify({ keys: [await generateSigningKey(false)] }),
      DATABASE_URL: "file:./data/never-created-by-this-test.db",
      METRICS_TOKEN: "",
    });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain("METRICS_TOKEN is required in production");
    expect(run.stderr).toContain("METRICS_ENABLED=false");
    expect(existsSync(path.join(ROOT, "data", "never-created-by-this-test.db"))).toBe(false);
  });
});
