/**
 * The launcher's first requests to itself, sent before it reports ready: each loads a hot
 * route's module, and the Edge middleware's sandbox and key ring, so the first real client does not
 * pay for that (the process-wide part — database, store, keys, argon2 — is warmed by
 * lib/server/warm-up.ts in the instrumentation hook).
 *
 * None of them changes state or counts against a limit: no credentials, empty bodies that fail
 * validation, a refresh and a sign-out with a fresh random refresh token that names no family (the
 * rotation's transaction runs and finds nothing). A token-shaped string with a zero signature makes the
 * middleware import its keys and refuse it (`bad_signature`); it names a key from our own public JWKS.
 */
import { randomBytes } from "node:crypto";

const TIMEOUT_MS = 15_000;

/** `starting` (or `ok`, or the status) from what /api/health answered. @param {{ status: number, text: string } | null} answer */
function stateOf(answer) {
  if (!answer) return null;
  if (answer.status === 200) return "ok";
  try {
    return JSON.parse(answer.text).error ?? String(answer.status);
  } catch {
    return String(answer.status);
  }
}

/** @param {unknown} value */
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * @param {string} origin e.g. http://127.0.0.1:3000
 * @returns {Promise<{ ms: number, requests: number, failed: number, healthWhileWarming: string | null }>}
 *   `healthWhileWarming`: the state /api/health reported meanwhile — `starting` is the expected answer
 *   (its 503 keeps load balancers away until the instance is warm), not a failure
 */
export async function warmRoutes(origin) {
  const started = performance.now();
  let requests = 0;
  let failed = 0;
  /** @param {string} path @param {RequestInit} [init] */
  const send = async (path, init = {}) => {
    requests += 1;
    try {
      const response = await fetch(origin + path, {
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...init,
      });
      return { status: response.status, text: await response.text() };
    } catch {
      failed += 1;
      return null;
    }
  };
  const post = (/** @type {string} */ path, /** @type {Record<string, string>} */ headers = {}) =>
    send(path, { method: "POST", headers: { origin, "content-type": "application/json", ...headers }, body: "{}" });
  const unknownRefresh = { cookie: `authlab_refresh=${randomBytes(32).toString("base64url")}` };

  const health = await send("/api/health");
  const jwks = await send("/.well-known/jwks.json");
  const key = jwks ? JSON.parse(jwks.text)?.keys?.at(-1) : undefined;
  if (key?.kid) {
    const token = [base64url({ alg: key.alg, kid: key.kid, typ: "at+jwt" }), base64url({}), "A".repeat(86)].join(".");
    await send("/api/me", { headers: { authorization: `Bearer ${token}` } });
  }
  await send("/api/me");
  await send("/api/session");
  await send("/api/session", { headers: { cookie: "authlab_session=warm-up" } });
  await post("/api/auth/login");
  await post("/api/auth/signup");
  await post("/api/auth/refresh", unknownRefresh);
  await post("/api/auth/logout", unknownRefresh);
  await send("/login");
  await send("/dashboard");
  return { ms: Math.round(performance.now() - started), requests, failed, healthWhileWarming: stateOf(health) };
}
