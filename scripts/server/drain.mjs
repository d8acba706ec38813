/**
 * A graceful drain for the launcher's HTTP server. On SIGTERM the launcher marks the
 * process draining (/api/health answers 503 `draining`) and calls drain(), which
 * - stops accepting connections;
 * - answers every request still to be answered, on any open connection, with `Connection: close`, so
 *   each connection ends after its current exchange instead of being cut in the middle of one;
 * - closes keep-alive connections once they have sat idle a moment (IDLE_CLOSE_MS);
 * - resolves when every connection is gone, or when the grace period ends (then it cuts what is left).
 *
 * Why not http.Server#close(): since Node 19 it also destroys every idle keep-alive connection at
 * once, and a client that is sending its next request on one at that instant sees a reset. A client
 * that has left a connection idle for IDLE_CLOSE_MS is not in the middle of using it; one that is
 * busy gets `Connection: close` on its next answer instead. (HTTP/1.1 has no way to close an idle
 * connection without that race: RFC 9112 §9.3.1 asks clients to retry idempotent requests.)
 */
import net from "node:net";

/** A connection idle this long is closed during a drain. */
export const IDLE_CLOSE_MS = 250;
const CHECK_INTERVAL_MS = 50;

/**
 * @param {import("node:http").Server} server
 */
export function trackConnections(server) {
  /** @type {Map<import("node:net").Socket, { active: number, idleSince: number }>} */
  const connections = new Map();
  /** @type {Set<import("node:http").ServerResponse>} */
  const unanswered = new Set();
  let draining = false;

  server.on("connection", (socket) => {
    connections.set(socket, { active: 0, idleSince: Date.now() });
    socket.once("close", () => connections.delete(socket));
  });

  return {
    /** Requests whose answer has not been sent in full. */
    get inFlight() {
      return unanswered.size;
    },

    /**
     * Call first for every request.
     * @param {import("node:http").IncomingMessage} req
     * @param {import("node:http").ServerResponse} res
     */
    begin(req, res) {
      const connection = connections.get(req.socket);
      if (connection) connection.active += 1;
      unanswered.add(res);
      if (draining) res.setHeader("connection", "close");
      res.once("close", () => {
        unanswered.delete(res);
        if (connection) {
          connection.active -= 1;
          connection.idleSince = Date.now();
        }
      });
    },

    /**
     * @param {number} graceMs
     * @returns {Promise<{ cut: number }>} how many requests were still unanswered at the deadline
     */
    drain(graceMs) {
      draining = true;
      for (const res of unanswered) if (!res.headersSent) res.setHeader("connection", "close");
      net.Server.prototype.close.call(server);
      const deadline = Date.now() + graceMs;
      return new Promise((resolve) => {
        const check = () => {
          const now = Date.now();
          for (const [socket, connection] of connections) {
            if (connection.active === 0 && now - connection.idleSince >= IDLE_CLOSE_MS) socket.destroy();
          }
          if (connections.size === 0) return resolve({ cut: 0 });
          if (now >= deadline) {
            const cut = unanswered.size;
            for (const socket of connections.keys()) socket.destroy();
            return resolve({ cut });
          }
          setTimeout(check, CHECK_INTERVAL_MS);
        };
        check();
      });
    },
  };
}
