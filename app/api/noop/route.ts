/**
 * Does nothing, behind the same middleware matcher as the JWT routes (the middleware passes it
 * through without a token check): the benchmark's measure of what running the middleware costs.
 */
import { notAllowed } from "@/lib/server/http/methods";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
