/**
 * Reads a JSON request body with a hard size limit.
 *
 * The body is consumed chunk by chunk and abandoned as soon as it passes the limit, so a 1 MB
 * "password" costs 16 KB of reading, not a full parse (OWASP ASVS 13.1.3: limit request size).
 */
import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/edge/errors";
import { describeIssues } from "@/lib/server/auth/validation";

export const MAX_JSON_BODY_BYTES = 16 * 1024;

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    throw tooLarge(limit);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * The rest of the body is never read, so the connection cannot carry another request: say so
 * (RFC 9112 §9.6), or a client that reuses it would have its next request reset.
 */
function tooLarge(limit: number) {
  return new AppError("payload_too_large", `the request body must be at most ${limit / 1024} KB`, {
    headers: { connection: "close" },
  });
}

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
  const bytes = await readLimited(request, limit);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("invalid_json", "the request body is not valid UTF-8");
  }
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
