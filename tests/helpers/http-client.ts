/**
 * A small HTTP client with a cookie jar that behaves like a browser's where it matters to these
 * tests: Max-Age=0 deletes, Path limits where a cookie is sent (the refresh cookie only goes to
 * /api/auth), and attributes are kept so tests can assert them.
 */

export interface StoredCookie {
  name: string;
  value: string;
  path: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): StoredCookie {
  const [pair, ...parts] = header.split(";").map((s) => s.trim());
  const eq = pair!.indexOf("=");
  const attributes: Record<string, string | true> = {};
  for (const part of parts) {
    const i = part.indexOf("=");
    if (i < 0) attributes[part.toLowerCase()] = true;
    else attributes[part.slice(0, i).toLowerCase()] = part.slice(i + 1);
  }
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), path: String(attributes.path ?? "/"), attributes };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  setCookies: StoredCookie[];
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  bearer?: string;
  /** Send the browser's Origin for this site (what a same-origin fetch does). */
  sameOrigin?: boolean;
}

export class Client {
  readonly jar = new Map<string, StoredCookie>();

  constructor(readonly baseUrl: string) {}

  cookie(name: string): StoredCookie | undefined {
    return this.jar.get(name);
  }

  setCookie(name: string, value: string, path = "/") {
    this.jar.set(name, { name, value, path, attributes: {} });
  }

  private cookieHeader(pathname: string): string | undefined {
    // RFC 6265 §5.1.4 path-match: the cookie's path is "/", equals the request path, or is a prefix
    // that ends at a "/" boundary.
    const applies = (c: StoredCookie) => c.path === "/" || pathname === c.path || pathname.startsWith(`${c.path}/`);
    const matching = [...this.jar.values()].filter(applies);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join("; ") : undefined;
  }

  async request(pathname: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = this.cookieHeader(pathname.split("?")[0]!);
    if (cookie && !("cookie" in headers)) headers.cookie = cookie;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.sameOrigin !== false && !("origin" in headers)) headers.origin = this.baseUrl;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch(this.baseUrl + pathname, {
      method: options.method ?? "GET",
      headers,
      body: body as BodyInit | undefined,
      redirect: "manual",
    });
    const text = await response.text();
    const setCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const c of setCookies) {
      if (c.attributes["max-age"] === "0" || c.value === "") this.jar.delete(c.name);
      else this.jar.set(c.name, c);
    }
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed, setCookies };
  }

  get(pathname: string, options: RequestOptions = {}) {
    return this.request(pathname, { ...options, method: "GET" });
  }

  post(pathname: string, json?: unknown, options: RequestOptions = {}) {
    return this.request(pathname, { ...options, method: "POST", json });
  }

  delete(pathname: string, options: RequestOptions = {}) {
    return this.request(pathname, { ...options, method: "DELETE" });
  }
}

let counter = 0;

/** A unique email per call, so tests never collide on one database. */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.test`;
}

export const GOOD_PASSWORD = "correct horse battery staple";

export async function signUp(client: Client, email = uniqueEmail(), password = GOOD_PASSWORD) {
  const response = await client.post("/api/auth/signup", { email, password });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${response.text}`);
  return {
    email,
    password,
    accessToken: response.body.accessToken as string,
    user: response.body.user as { id: number; role: string },
  };
}
