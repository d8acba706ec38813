/**
 * Saying clearly why PostgreSQL could not be reached, without ever printing the password.
 */
import "server-only";
export function redactedUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "****";
    return url.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export function describeConnectionError(databaseUrl: string, error: unknown): string {
  const code = error && typeof error === "object" && "code" in error ? String((error as { code: unknown }).code) : "";
  const where = redactedUrl(databaseUrl);
  const hints: Record<string, string> = {
    ECONNREFUSED: "nothing is listening there; is PostgreSQL running?",
    ENOTFOUND: "the host name does not resolve",
    ETIMEDOUT: "the server did not answer in time",
    "28P01": "the password was refused",
    "28000": "the server refused the connection for this user (pg_hba.conf)",
    "3D000": "that database does not exist; create it first",
  };
  const message = error instanceof Error ? error.message : String(error);
  const hint = hints[code] ?? (/timeout/i.test(message) ? "the server did not answer in time" : message);
  return `cannot connect to PostgreSQL at ${where}: ${hint}`;
}
