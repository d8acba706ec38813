/**
 * One traced request from the dashboard: what was sent, who answered, which layer decided, and the
 * server's own timing. Everything in it comes from the real request and response.
 */
import { parseServerTiming, type TimingEntry } from "./server-timing";

export type Flow = "session" | "jwt" | "lab" | "auth";

export interface Trace {
  id: number;
  at: number;
  label: string;
  flow: Flow;
  method: string;
  url: string;
  /** The credential as it travelled: which header and how many bytes. */
  credential: { kind: "cookie" | "bearer" | "none"; header: string; bytes: number };
  status: number;
  error: string | null;
  description: string | null;
  layer: string;
  timings: TimingEntry[];
  instance: string | null;
  storeLookups: number | null;
  roundTripMs: number;
  body: unknown;
}

export interface TraceRequest {
  label: string;
  flow: Flow;
  method?: string;
  /** Path on this instance, or an absolute URL on a peer instance. */
  url: string;
  bearer?: string | null;
  json?: unknown;
  /** Bytes of the sealed session cookie the browser attaches (it is HttpOnly: the page cannot see it). */
  sessionCookieBytes?: number;
  sessionCookieName?: string;
  /** Send cookies (same-origin always does; a peer needs credentials: "include"). */
  withCookies?: boolean;
}

let nextId = 1;

function layerOf(response: Response, body: unknown, flow: Flow): string {
  const header = response.headers.get("x-authlab-layer");
  if (header) return header;
  if (body && typeof body === "object" && "layer" in body && typeof body.layer === "string") return body.layer;
  if (response.status === 401 && response.headers.get("www-authenticate")) return "edge-middleware";
  if (flow === "lab") return "lab";
  if (flow === "auth") return "node-handler";
  return "public";
}

export async function tracedFetch(request: TraceRequest): Promise<Trace> {
  const method = request.method ?? "GET";
  const headers: Record<string, string> = {};
  if (request.bearer) headers.authorization = `Bearer ${request.bearer}`;
  if (request.json !== undefined) headers["content-type"] = "application/json";
  const crossOrigin = /^https?:\/\//.test(request.url);
  let credential: Trace["credential"] = { kind: "none", header: "(nothing)", bytes: 0 };
  if (request.bearer) {
    credential = { kind: "bearer", header: "Authorization: Bearer …", bytes: "Bearer ".length + request.bearer.length };
  } else if (request.withCookies !== false && request.sessionCookieBytes) {
    const name = request.sessionCookieName ?? "authlab_session";
    credential = { kind: "cookie", header: `Cookie: ${name}=…`, bytes: name.length + 1 + request.sessionCookieBytes };
  }
  const sent = { label: request.label, flow: request.flow, method, url: request.url, credential };
  // Numbered when the answer arrives: the newest trace is the one that finished last.
  const finished = (outcome: Omit<Trace, "id" | "at" | keyof typeof sent>): Trace => ({ id: nextId++, at: Date.now(), ...sent, ...outcome });
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(request.url, {
      method,
      headers,
      body: request.json !== undefined ? JSON.stringify(request.json) : undefined,
      credentials: request.withCookies === false ? "omit" : crossOrigin ? "include" : "same-origin",
      cache: "no-store",
    });
  } catch (error) {
    return finished({
      status: 0,
      error: "network_error",
      description: error instanceof Error ? error.message : "the request did not reach a server",
      layer: "network",
      timings: [],
      instance: null,
      storeLookups: null,
      roundTripMs: performance.now() - started,
      body: null,
    });
  }
  const roundTripMs = performance.now() - started;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  const error = body && typeof body === "object" && "error" in body && typeof body.error === "string" ? body.error : null;
  const description = body && typeof body === "object" && "error_description" in body && typeof body.error_description === "string" ? body.error_description : null;
  const lookups = response.headers.get("x-authlab-store-lookups");
  return finished({
    status: response.status,
    error,
    description,
    layer: layerOf(response, body, request.flow),
    timings: parseServerTiming(response.headers.get("server-timing")),
    instance: response.headers.get("x-authlab-instance"),
    storeLookups: lookups === null ? null : Number(lookups),
    roundTripMs,
    body,
  });
}
