/**
 * Structured one-line JSON logs.
 *
 * Callers pass only fields that are safe to log. As a second line of defence (OWASP Logging Cheat
 * Sheet: "data to exclude"), values that look like tokens or sealed cookies are masked and fields
 * named like secrets are dropped, so a careless caller still cannot leak them.
 */
import "server-only";
import { wallClock } from "@/lib/server/clock";

type Fields = Record<string, unknown>;

const SECRET_FIELD = /pass(word)?|secret|token|cookie|authorization|jwk|seal/i;
const JWT_LIKE = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const IRON_SEAL = /Fe26\.2\*[^\s"';,]*/g;
const LONG_OPAQUE = /\b[A-Za-z0-9_-]{40,}\b/g;

export function redactText(text: string): string {
  return text.replace(JWT_LIKE, "[jwt]").replace(IRON_SEAL, "[sealed]").replace(LONG_OPAQUE, "[opaque]");
}

/**
 * Fields that name something by its public identifier — a refresh family's id is a 64-character SHA-256
 * digest, longer than the opaque-string rule allows — are kept by their name, not judged by their length:
 * an operator must be able to follow a family from an event to the logs (docs/api.md shows one). Only a
 * value shaped like an identifier passes; anything else under those names (a token with its dot, a JWT)
 * is masked like any other string.
 */
const PUBLIC_ID_FIELDS: ReadonlySet<string> = new Set(["familyId", "sessionId", "by"]);
const IDENTIFIER = /^[A-Za-z0-9_-]{1,128}$/;

export function redactField(key: string, value: string): string {
  return PUBLIC_ID_FIELDS.has(key) && IDENTIFIER.test(value) ? value : redactText(value);
}

function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), code: (value as { code?: unknown }).code };
  }
  if (value === null || typeof value !== "object" || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Fields)
      .filter(([key]) => !SECRET_FIELD.test(key))
      .map(([key, v]) => [key, typeof v === "string" ? redactField(key, v) : redact(v, depth + 1)]),
  );
}

function write(level: "info" | "warn" | "error", event: string, fields: Fields) {
  const line = JSON.stringify({ time: wallClock.now().toISOString(), level, event, ...(redact(fields) as Fields) });
  if (level === "info") console.log(line);
  else console.error(line);
}

export const log = {
  info: (event: string, fields: Fields = {}) => write("info", event, fields),
  warn: (event: string, fields: Fields = {}) => write("warn", event, fields),
  error: (event: string, fields: Fields = {}) => write("error", event, fields),
};
