/**
 * Reads an `application/x-www-form-urlencoded` body (the encoding RFC 6749 token endpoints use, and so
 * RFC 7009 and RFC 7662) with a hard size limit, into parameters that each appear at most once: RFC 6749
 * §3.2 "Request and response parameters MUST NOT be included more than once".
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { decodeUtf8, readLimited } from "@/lib/server/http/read-body";

/** Far more than any token of ours (an access token is ~700 bytes). */
export const MAX_FORM_BODY_BYTES = 8 * 1024;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

export type Form = ReadonlyMap<string, string>;

export async function readForm(request: Request, limit = MAX_FORM_BODY_BYTES): Promise<Form> {
  if (!FORM_TYPE.test(request.headers.get("content-type") ?? ""))
    throw new AppError("unsupported_media_type", "send the body as application/x-www-form-urlencoded");
  const text = decodeUtf8(await readLimited(request, limit));
  if (text === null) throw new AppError("invalid_request", "the request body is not valid UTF-8");
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (form.has(name))
      throw new AppError("invalid_request", `the parameter ${name.slice(0, 40)} is given more than once`, {
        field: name.slice(0, 40),
      });
    form.set(name, value);
  }
  return form;
}

/** A required parameter: present and not empty. */
export function requiredParameter(form: Form, name: string): string {
  const value = form.get(name);
  if (!value) throw new AppError("invalid_request", `the ${name} parameter is required`, { field: name });
  return value;
}
