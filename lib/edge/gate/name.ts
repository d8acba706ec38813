/**
 * Which gate a build runs: `edge` (middleware.ts in the Edge runtime, the default) or `proxy` (the same
 * gate as Next 16's proxy.ts, on Node). A build holds exactly one of them — Next refuses a tree with
 * both files — so the name is fixed when the bundle is built: next.config.ts sees which file its tree
 * holds and inlines the answer as AUTHLAB_BUILT_GATE. Nothing at run time can make a build claim the
 * other gate. Web APIs only.
 */
import { LAYERS, type Layer } from "@/lib/edge/trace";
export const GATES = ["edge", "proxy"] as const;
export type GateName = (typeof GATES)[number];

/** On every response: which gate this build has (docs/api.md). */
export const GATE_HEADER = "x-authlab-gate";

/** The gate this bundle was built with. Code run outside a build (unit tests, tools) reads as the default. */
export function builtGate(): GateName {
  return process.env.AUTHLAB_BUILT_GATE === "proxy" ? "proxy" : "edge";
}

/** The trace's layer for each gate (x-authlab-layer, and a refusal's `layer`). */
export const GATE_LAYERS: Record<GateName, Layer> = { edge: LAYERS.edge, proxy: LAYERS.proxy };

/** How the trace and the dashboard name each gate. */
export const GATE_TITLES: Record<GateName, string> = {
  edge: "Edge middleware",
  proxy: "Node proxy",
};
