import type { IncomingMessage, ServerResponse } from "node:http";
export function parseOrigins(raw: string | undefined): Set<string>;
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: Set<string>): boolean;
