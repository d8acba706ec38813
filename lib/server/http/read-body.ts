/**
 * Reads a request body with a hard size limit. The body is consumed chunk by chunk and abandoned as
 * soon as it passes the limit, so an oversized body costs the limit, not its size (OWASP ASVS 13.1.3).
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";

export async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
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

/** The body as UTF-8 text, or null when it is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
