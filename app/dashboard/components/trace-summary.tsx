import { LAYERS } from "@/lib/edge/trace";
import { NETWORK, UNCHECKED, type Trace } from "@/lib/ui/lab/trace";
import { Badge } from "@/components/ui/badge";

export function statusTone(status: number): "good" | "bad" | "warn" {
  if (status >= 200 && status < 300) return "good";
  if (status === 0 || status >= 500) return "bad";
  return "warn";
}

const LAYER_LABELS: Record<string, string> = {
  [LAYERS.edge]: "Edge middleware",
  [LAYERS.proxy]: "Node proxy",
  [LAYERS.node]: "Node handler",
  [LAYERS.strict]: "Node strict check",
  [LAYERS.lab]: "Lab endpoint",
  [UNCHECKED]: "nothing (public endpoint)",
  [NETWORK]: "Network",
};

/** "Edge middleware → Node handler": every layer that checked the request, in order. */
export function layerLabel(layer: string): string {
  return layer
    .split("+")
    .map((name) => LAYER_LABELS[name] ?? name)
    .join(" → ");
}

/** One line: status, code, the layer that decided, the instance that answered. */
export function TraceSummary({ trace, testId }: { trace: Trace; testId?: string }) {
  return (
    <p
      className="flex flex-wrap items-center gap-2"
      data-testid={testId}
      data-status={trace.status}
      data-layer={trace.layer}
    >
      <Badge tone={statusTone(trace.status)}>{trace.status === 0 ? "no response" : trace.status}</Badge>
      {trace.error ? <code className="text-xs text-red-800">{trace.error}</code> : null}
      <span className="text-xs text-slate-600">checked by {layerLabel(trace.layer)}</span>
      {trace.instance ? <span className="text-xs text-slate-600">answered by {trace.instance}</span> : null}
    </p>
  );
}
