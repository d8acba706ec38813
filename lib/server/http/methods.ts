/**
 * JSON 405s for the methods a route does not support. Next answers those with an empty 405 on its own;
 * API clients get the same `{error, error_description}` shape as every other failure instead, with
 * the Allow header RFC 9110 §15.5.6 asks for.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { handle } from "@/lib/server/http/respond";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

type MethodHandler = (request: Request, context: unknown) => Promise<Response>;

export function notAllowed(...allowed: Method[]): Record<Method, MethodHandler> {
  // Through handle(), like every route: the host check and HSTS apply to a 405 too.
  const respond: MethodHandler = handle(async () => {
    throw new AppError("method_not_allowed", `this endpoint accepts ${allowed.join(", ")}`, {
      headers: { allow: [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ") },
    });
  });
  return Object.fromEntries(METHODS.map((m) => [m, respond])) as Record<Method, MethodHandler>;
}
