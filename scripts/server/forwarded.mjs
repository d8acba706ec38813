/**
 * Makes X-Forwarded-* tell the truth before Next sees a request.
 *
 * `next start` keeps a client-sent X-Forwarded-For (its base server assigns it with `??=`), so any
 * client could claim any address and reset per-address login throttling by rotating it. Here the
 * socket decides: with TRUST_PROXY_HOPS=0 the headers are replaced by what the socket saw; with N
 * trusted proxies in front, the socket's address is appended and the app reads the entry N from the
 * right (the one the outermost trusted proxy appended).
 *
 * @param {import("node:http").IncomingMessage} req
 * @param {number} trustProxyHops
 */
export function normaliseForwardedHeaders(req, trustProxyHops) {
  const peer = req.socket.remoteAddress ?? "";
  const encrypted = Boolean(/** @type {{ encrypted?: boolean }} */ (req.socket).encrypted);
  if (trustProxyHops === 0) {
    req.headers["x-forwarded-for"] = peer;
    req.headers["x-forwarded-proto"] = encrypted ? "https" : "http";
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-port"];
    delete req.headers["x-real-ip"];
    delete req.headers["forwarded"];
    return;
  }
  const chain = typeof req.headers["x-forwarded-for"] === "string" ? req.headers["x-forwarded-for"] : "";
  req.headers["x-forwarded-for"] = chain ? `${chain}, ${peer}` : peer;
  const proto = req.headers["x-forwarded-proto"];
  req.headers["x-forwarded-proto"] = proto === "https" || proto === "http" ? proto : encrypted ? "https" : "http";
}
