import { jsonError } from "@/lib/edge/errors";

/** Any /api path no route claims: a JSON 404 rather than Next's HTML page. */
export const dynamic = "force-dynamic";

const notFound = () => jsonError("not_found", "there is no such API endpoint");

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
