/**
 * One client, one keep-alive connection, one request at a time, each timed in microseconds: what a
 * single request costs end to end when nothing else queues in front of it. autocannon measures
 * throughput under load (and reports whole milliseconds); this measures latency.
 */
import http from "node:http";
import { microsSince } from "./stats";

/** A measurement waits this long for an answer, then fails loudly rather than hang the run. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface Probe {
  /** Sends one GET (or POST when a body is given) and resolves with its status and duration. */
  request(
    path: string,
    options?: { headers?: Record<string, string>; method?: string; body?: string },
  ): Promise<{ status: number; micros: number; body: string }>;
  close(): void;
}

export function createProbe(baseUrl: string): Probe {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    request(path, options = {}) {
      return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const req = http.request(
          {
            host: base.hostname,
            port: base.port,
            path,
            method: options.method ?? (options.body === undefined ? "GET" : "POST"),
            headers: options.headers,
            agent,
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () =>
              resolve({
                status: response.statusCode ?? 0,
                micros: microsSince(started),
                body: Buffer.concat(chunks).toString("utf8"),
              }),
            );
            response.on("error", reject);
          },
        );
        req.on("error", reject);
        req.setTimeout(REQUEST_TIMEOUT_MS, () =>
          req.destroy(new Error(`${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
        );
        req.end(options.body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
