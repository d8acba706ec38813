import type { IncomingMessage } from "node:http";
export function normaliseForwardedHeaders(
  req: IncomingMessage,
  trustProxyHops: number,
): { proxiedFromLoopback: boolean };
export function onceWarning(): { warn(): void };
