/**
 * CORS for the cluster demo: a dashboard served by one instance may read (GET, with its cookie or
 * token, and the DPoP proof for a bound token) from the other instances listed in CORS_ORIGINS. Nothing else is allowed cross-origin, and
 * state-changing requests from another origin still fail the CSRF check in the handlers.
 */
const EXPOSED =
  "server-timing, www-authenticate, dpop-nonce, x-authlab-instance, x-authlab-layer, x-authlab-store-lookups, x-authlab-gate-timing, x-authlab-gate";

/** @param {string | undefined} raw */
export function parseOrigins(raw) {
  return new Set(
    (raw ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/**
 * Adds CORS headers; answers a preflight itself. Returns true when the response is complete.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {Set<string>} allowed
 */
export function applyCors(req, res, allowed) {
  const origin = req.headers.origin;
  if (typeof origin !== "string" || !allowed.has(origin)) return false;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-allow-credentials", "true");
  res.setHeader("access-control-expose-headers", EXPOSED);
  res.setHeader("timing-allow-origin", origin);
  res.setHeader("vary", "Origin");
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
    res.setHeader("access-control-allow-methods", "GET");
    res.setHeader("access-control-allow-headers", "authorization, dpop");
    res.setHeader("access-control-max-age", "600");
    res.statusCode = 204;
    res.end();
    return true;
  }
  return false;
}
