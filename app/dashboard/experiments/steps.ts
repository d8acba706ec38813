/**
 * The steps several experiments share, and the layers they name: the gate this build runs (the Edge
 * middleware or the Node proxy), a Node handler, the strict check.
 */
import { GATE_LAYERS, builtGate } from "@/lib/edge/gate/name";
import { LAYERS } from "@/lib/edge/trace";
import type { Trace } from "@/lib/ui/lab/trace";
import type { Lab, LabRequest } from "../components/use-lab";
import { field, type Expectation } from "./kit";
import type { RunContext, Step } from "./types";

export const GATE = GATE_LAYERS[builtGate()];
export const NODE = LAYERS.node;
export const STRICT = LAYERS.strict;

/** GET /api/me (or /strict) with a token, as the page sends any token: with a proof when it is bound. */
export function me(token: string | null, label: string, strict = false): LabRequest {
  return { label, flow: "jwt", url: strict ? "/api/me/strict" : "/api/me", token, withCookies: false };
}

/** A lab endpoint, as the page calls it (its session cookie, an Origin the server checks). */
export function lab(method: "GET" | "POST" | "DELETE", url: string, label: string, json?: unknown): LabRequest {
  return { label, flow: "lab", method, url, ...(json === undefined ? {} : { json }) };
}

export const sessionCall = (label: string): LabRequest => ({ label, flow: "session", url: "/api/session" });

/** A refresh's new access token, when there is one, becomes the page's token. */
export function adoptToken(page: Lab, trace: Trace): void {
  const token = field<string>(trace.body, "accessToken");
  if (token) page.setToken(token);
}

/** The page's own refresh; the new access token, when there is one, becomes the page's token. */
export function refresh<V>(
  label: string,
  expect: Expectation | ((context: RunContext<V>) => Expectation) = { status: 200 },
): Step<V> {
  return {
    label,
    request: () => ({ refresh: label }),
    expect,
    keep: ({ lab: page }, trace) => adoptToken(page, trace),
  };
}

/** A new refresh family for this session, so the page keeps working after an experiment ended its family. */
export function startOver<V>(): Step<V>[] {
  return [
    {
      label: "POST /api/lab/refresh-family (start over so this page keeps working)",
      request: () =>
        lab("POST", "/api/lab/refresh-family", "POST /api/lab/refresh-family (recover)", { exposeCopy: false }),
      expect: { status: 200 },
    },
    refresh("POST /api/auth/refresh (new family)"),
  ];
}
