import type { IncomingMessage, Server, ServerResponse } from "node:http";
export const IDLE_CLOSE_MS: number;
export function trackConnections(server: Server): {
  readonly inFlight: number;
  begin(req: IncomingMessage, res: ServerResponse): void;
  drain(graceMs: number): Promise<{ cut: number }>;
};
