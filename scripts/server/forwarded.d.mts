import type { IncomingMessage } from "node:http";
export function normaliseForwardedHeaders(req: IncomingMessage, trustProxyHops: number): void;
