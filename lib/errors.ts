/**
 * One error type with stable codes, and the single place that turns it into an HTTP response.
 *
 * Web-API only: the Edge middleware answers with the same shape. Bodies follow DESIGN.md §5:
 * `{ "error": "<code>", "error_description": "<sentence>" }`, never a stack trace.
 */

const STATUS_BY_CODE = {
  invalid_request: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  invalid_credentials: 401,
  no_session: 401,
  invalid_token: 401,
  invalid_grant: 401,
  /** RFC 6750 §3.1: a request without any token gets 401 and no error code in WWW-Authenticate. */
  missing_token: 401,
  csrf: 403,
  forbidden: 403,
  insufficient_scope: 403,
  lab_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  rate_limited: 429,
  session_store_unavailable: 503,
  database_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(description, options);
    this.name = "AppError";
    this.status = STATUS_BY_CODE[code];
  }
}

export interface ErrorBody {
  error: ErrorCode;
  error_description: string;
  /** Where the request was rejected, so the lab can show which layer said no. */
  layer?: string;
}

export function jsonError(
  code: ErrorCode,
  description: string,
  init: { headers?: Record<string, string>; layer?: string } = {},
): Response {
  const body: ErrorBody = { error: code, error_description: description };
  if (init.layer) body.layer = init.layer;
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  headers.set("cache-control", "no-store");
  if (init.layer) headers.set("x-authlab-layer", init.layer);
  return new Response(JSON.stringify(body), { status: STATUS_BY_CODE[code], headers });
}

export function appErrorResponse(error: AppError, layer?: string): Response {
  return jsonError(error.code, error.description, { headers: error.headers, layer });
}
