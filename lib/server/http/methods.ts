/**
 * JSON 405s for the methods a route does not support. Next answers those with an empty 405 on its own;
 * API clients get the same `{error, error_description}` shape as every other failure instead, with
 * the Allow header RFC 9110 §15.5.6 asks for.
 */
import "server-only";
import { jsonError } from "@/lib/edge/errors";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

export function notAllowed(...allowed: Method[]): Record<Method, () => Response> {
  const respond = () =>
    jsonError("method_not_allowed", `this endpoint accepts ${allowed.join(", ")}`, {
      headers: { allow: [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ") },
    });
  return Object.fromEntries(METHODS.map((m) => [m, respond])) as Record<Method, () => Response>;
}
