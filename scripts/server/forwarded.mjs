/**
 * Makes X-Forwarded-* tell the truth before Next sees a request.
 *
 * `next start` keeps a client-sent X-Forwarded-For (its base server assigns it with `??=`), so any
 * client could claim any address and reset per-address login throttling by rotating it. Here the
 * socket decides: with TRUST_PROXY_HOPS=0 the headers are replaced by what the socket saw; with N
 * trusted proxies in front, the socket's address is appended and the app reads the entry N from the
 * right (the one the outermost trusted proxy appended).
 *
 * With TRUST_PROXY_HOPS=0, a loopback peer that sends X-Forwarded-For is almost always a reverse proxy on
 * the same host that nobody declared: then every client counts as that one loopback address (one
 * client's sign-ups use up everyone's per-address allowance). The headers are still replaced — trusting
 * them would let any client pick its address — but the caller is told, so the operator can be.
 *
 * @param {import("node:http").IncomingMessage} req
 * @param {number} trustProxyHops
 * @returns {{ proxiedFromLoopback: boolean }}
 */
export function normaliseForwardedHeaders(req, trustProxyHops) {
  const peer = req.socket.remoteAddress ?? "";
  const encrypted = Boolean(/** @type {{ encrypted?: boolean }} */ (req.socket).encrypted);
  if (trustProxyHops === 0) {
    const proxiedFromLoopback = req.headers["x-forwarded-for"] !== undefined && isLoopback(peer);
    req.headers["x-forwarded-for"] = peer;
    req.headers["x-forwarded-proto"] = encrypted ? "https" : "http";
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-port"];
    delete req.headers["x-real-ip"];
    delete req.headers["forwarded"];
    return { proxiedFromLoopback };
  }
  const chain = typeof req.headers["x-forwarded-for"] === "string" ? req.headers["x-forwarded-for"] : "";
  req.headers["x-forwarded-for"] = chain ? `${chain}, ${peer}` : peer;
  const proto = req.headers["x-forwarded-proto"];
  req.headers["x-forwarded-proto"] = proto === "https" || proto === "http" ? proto : encrypted ? "https" : "http";
  return { proxiedFromLoopback: false };
}

/** 127.0.0.0/8, ::1, and IPv4-mapped loopback as Node reports a dual-stack socket's peer. */
function isLoopback(address) {
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

/**
 * The warning for a proxy nobody declared, printed once per process (OWASP Logging Cheat Sheet: record
 * the misconfiguration, without flooding the log): it names the setting, never a client's address.
 */
export function onceWarning() {
  let warned = false;
  return {
    warn() {
      if (warned) return;
      warned = true;
      console.error(
        JSON.stringify({
          level: "warn",
          event: "server.untrusted_forwarded_for",
          message:
            "requests from loopback carry X-Forwarded-For while TRUST_PROXY_HOPS=0: a reverse proxy on this host " +
            "makes every client look like 127.0.0.1 (per-address limits then pool them all). Set " +
            "TRUST_PROXY_HOPS to the number of proxies in front of the app.",
        }),
      );
    },
  };
}
