/**
 * One traced request from the dashboard: what was sent, who answered, which layer decided, and the
 * server's own timing. Everything in it comes from the real request and response.
 */
import { LAYER_HEADER } from "@/lib/edge/errors";
import { GATE_TIMING_HEADER, LAYERS, REFRESH_OUTCOME_HEADER, STORE_LOOKUPS_HEADER } from "@/lib/edge/trace";
import { GATE_HEADER, GATE_LAYERS } from "@/lib/edge/gate/name";
import { parseServerTiming, type TimingEntry } from "@/lib/ui/lab/server-timing";

/** Which part of the app a traced request exercises; `public` needs no credential (health, JWKS). */
export type Flow = "session" | "jwt" | "lab" | "auth" | "public";

export interface Trace {
  id: number;
  at: number;
  label: string;
  flow: Flow;
  method: string;
  url: string;
  /** The credential as it travelled: which header(s) and how many bytes. */
  credential: { kind: "cookie" | "bearer" | "dpop" | "none"; header: string; bytes: number };
  /** The DPoP proof sent with the request (RFC 9449), for the trace to decode; null when none was. */
  proof: string | null;
  status: number;
  error: string | null;
  /** The stable reason beside `error` (invalid_token, invalid_grant), when the server gave one. */
  reason: string | null;
  description: string | null;
  /** The layers that checked the request, in order, joined with "+"; the last one decided. */
  layer: string;
  timings: TimingEntry[];
  instance: string | null;
  storeLookups: number | null;
  roundTripMs: number;
  /** For a refresh that succeeded: `rotated`, or `reissued` inside the reuse grace window. */
  refreshOutcome: string | null;
  /** The next DPoP nonce the server handed out (RFC 9449 §8, DPOP_NONCE=true), if any. */
  dpopNonce: string | null;
  body: unknown;
}

export interface TraceRequest {
  label: string;
  flow: Flow;
  method?: string;
  /** Path on this instance, or an absolute URL on a peer instance. */
  url: string;
  bearer?: string | null;
  /**
   * A DPoP proof in the `DPoP` header, and with `token` the token as `Authorization: DPoP <token>`
   * (a resource request); without `token` (a token-endpoint request) only the proof travels.
   */
  dpop?: { proof: string; token?: string | null };
  json?: unknown;
  /** Bytes of the sealed session cookie the browser attaches (it is HttpOnly: the page cannot see it). */
  sessionCookieBytes?: number;
  sessionCookieName?: string;
  /** Send cookies (same-origin always does; a peer needs credentials: "include"). */
  withCookies?: boolean;
}

let nextId = 1;

/** Shown for a request no layer checked, and for one that never reached a server. */
export const UNCHECKED = "public";
export const NETWORK = "network";

function layerOf(response: Response, body: unknown, flow: Flow): string {
  const layers: string[] = [];
  // The gate leaves its timing header on a request it let through; x-authlab-gate says which gate it is.
  if (response.headers.has(GATE_TIMING_HEADER))
    layers.push(GATE_LAYERS[response.headers.get(GATE_HEADER) === "proxy" ? "proxy" : "edge"]);
  const header = response.headers.get(LAYER_HEADER);
  const fromBody =
    body && typeof body === "object" && "layer" in body && typeof body.layer === "string" ? body.layer : null;
  for (const layer of (header ?? fromBody ?? "").split("+").filter(Boolean))
    if (!layers.includes(layer)) layers.push(layer);
  if (layers.length > 0) return layers.join("+");
  if (flow === "lab") return LAYERS.lab;
  return UNCHECKED;
}

/** Whether `layer` checked the request this trace records. */
export function checkedBy(trace: Pick<Trace, "layer">, layer: string): boolean {
  return trace.layer.split("+").includes(layer);
}

export async function tracedFetch(request: TraceRequest): Promise<Trace> {
  const method = request.method ?? "GET";
  const headers: Record<string, string> = {};
  if (request.bearer) headers.authorization = `Bearer ${request.bearer}`;
  if (request.dpop?.token) headers.authorization = `DPoP ${request.dpop.token}`;
  if (request.dpop) headers.dpop = request.dpop.proof;
  if (request.json !== undefined) headers["content-type"] = "application/json";
  const crossOrigin = /^https?:\/\//.test(request.url);
  let credential: Trace["credential"] = { kind: "none", header: "(nothing)", bytes: 0 };
  if (request.dpop?.token) {
    const bytes = "DPoP ".length + request.dpop.token.length + request.dpop.proof.length;
    credential = { kind: "dpop", header: "Authorization: DPoP … + DPoP: proof", bytes };
  } else if (request.bearer) {
    credential = { kind: "bearer", header: "Authorization: Bearer …", bytes: "Bearer ".length + request.bearer.length };
  } else if (request.withCookies !== false && request.sessionCookieBytes) {
    const name = request.sessionCookieName ?? "authlab_session";
    credential = { kind: "cookie", header: `Cookie: ${name}=…`, bytes: name.length + 1 + request.sessionCookieBytes };
  }
  const proof = request.dpop?.proof ?? null;
  const sent = { label: request.label, flow: request.flow, method, url: request.url, credential, proof };
  // Numbered when the answer arrives: the newest trace is the one that finished last.
  const finished = (outcome: Omit<Trace, "id" | "at" | keyof typeof sent>): Trace => ({
    id: nextId++,
    at: Date.now(),
    ...sent,
    ...outcome,
  });
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
      reason: null,
      description: error instanceof Error ? error.message : "the request did not reach a server",
      layer: NETWORK,
      timings: [],
      instance: null,
      storeLookups: null,
      roundTripMs: performance.now() - started,
      refreshOutcome: null,
      dpopNonce: null,
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
  const error =
    body && typeof body === "object" && "error" in body && typeof body.error === "string" ? body.error : null;
  const description =
    body && typeof body === "object" && "error_description" in body && typeof body.error_description === "string"
      ? body.error_description
      : null;
  const reason =
    body && typeof body === "object" && "reason" in body && typeof body.reason === "string" ? body.reason : null;
  const lookups = response.headers.get(STORE_LOOKUPS_HEADER);
  return finished({
    status: response.status,
    error,
    reason,
    description,
    layer: layerOf(response, body, request.flow),
    timings: [
      ...parseServerTiming(response.headers.get(GATE_TIMING_HEADER)),
      ...parseServerTiming(response.headers.get("server-timing")),
    ],
    instance: response.headers.get("x-authlab-instance"),
    storeLookups: lookups === null ? null : Number(lookups),
    roundTripMs,
    refreshOutcome: response.headers.get(REFRESH_OUTCOME_HEADER),
    dpopNonce: response.headers.get("dpop-nonce"),
    body,
  });
}
