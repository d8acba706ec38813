/**
 * Reads a JSON request body with a hard size limit (read-body.ts): a 1 MB "password" costs 16 KB of
 * reading, not a full parse (OWASP ASVS 13.1.3: limit request size).
 */
import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/edge/errors";
import { describeIssues } from "@/lib/server/http/describe-issues";
import { decodeUtf8, readLimited } from "@/lib/server/http/read-body";

export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** Parses and validates a JSON body; every failure is an AppError with a 4xx code. */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  limit = MAX_JSON_BODY_BYTES,
): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type", "send the body as application/json");
  }
  const text = decodeUtf8(await readLimited(request, limit));
  if (text === null) throw new AppError("invalid_json", "the request body is not valid UTF-8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "the request body is not valid JSON");
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new AppError("invalid_request", "the request body must be a JSON object");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.code === "unrecognized_keys" ? issue.keys[0] : issue?.path.join(".");
    throw new AppError("invalid_request", describeIssues(parsed.error), { field: field || undefined });
  }
  return parsed.data;
}
