"use client";

import type { Trace } from "@/lib/ui/lab/trace";
import { Badge } from "@/components/ui/badge";
import { layerLabel, statusTone } from "./trace-summary";
import { DecodedProof } from "./decoded-proof";
import { Collapsible } from "./collapsible";

const FLOW_TONE = { session: "session", jwt: "jwt", lab: "neutral", auth: "neutral", public: "neutral" } as const;

function TraceRow({ trace }: { trace: Trace }) {
  const path = trace.url.replace(/^https?:\/\/[^/]+/, "");
  const peer = /^https?:\/\//.test(trace.url) ? new URL(trace.url).host : null;
  return (
    <li className="py-3" data-testid="trace-row" data-status={trace.status} data-layer={trace.layer} data-url={path}>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={FLOW_TONE[trace.flow]}>{trace.flow}</Badge>
        <code className="text-xs font-semibold sm:text-sm">
          {trace.method} {path}
        </code>
        {peer ? <span className="text-xs text-slate-600">→ {peer}</span> : null}
        <Badge tone={statusTone(trace.status)}>{trace.status || "no response"}</Badge>
        {trace.error ? <code className="text-xs text-red-800">{trace.error}</code> : null}
      </div>
      <dl className="mt-1.5 grid grid-cols-1 gap-x-6 gap-y-1 text-xs text-slate-700 sm:grid-cols-2 lg:grid-cols-4">
        <div className="sm:col-span-2 lg:col-span-1">
          <dt className="inline text-slate-600">sent </dt>
          <dd className="inline font-mono">
            {trace.credential.header} <span className="whitespace-nowrap">({trace.credential.bytes} B)</span>
          </dd>
        </div>
        <div>
          <dt className="inline text-slate-600">checked by </dt>
          <dd className="inline" data-testid="trace-layer">
            {layerLabel(trace.layer)}
          </dd>
        </div>
        <div>
          <dt className="inline text-slate-600">store lookups </dt>
          <dd className="inline font-mono">{trace.storeLookups ?? "—"}</dd>
        </div>
        <div>
          <dt className="inline text-slate-600">instance </dt>
          <dd className="inline font-mono" data-testid="trace-instance">
            {trace.instance ?? "—"}
          </dd>
        </div>
        <div className="sm:col-span-2 lg:col-span-4">
          <dt className="inline text-slate-600">server timing </dt>
          {/* One unbreakable item per step, separated by space rather than a "·" that could start a line. */}
          <dd className="inline font-mono">
            {trace.timings.map((t, i) => (
              <span key={i} className="mr-3 inline-block" data-testid="trace-timing">
                {t.description || t.name} <span className="whitespace-nowrap">{t.durationMs.toFixed(2)} ms</span>
              </span>
            ))}
            <span className="inline-block text-slate-600">
              round trip <span className="whitespace-nowrap">{trace.roundTripMs.toFixed(1)} ms</span>
            </span>
          </dd>
        </div>
        {trace.description ? (
          <div className="sm:col-span-2 lg:col-span-4">
            <dt className="inline text-slate-600">server said </dt>
            <dd className="inline">{trace.description}</dd>
          </div>
        ) : null}
      </dl>
      {trace.proof ? (
        <details className="mt-1.5 text-xs" data-testid="trace-proof">
          <summary className="cursor-pointer text-slate-700">DPoP proof sent ({trace.proof.length} B), decoded</summary>
          <div className="mt-1">
            <DecodedProof proof={trace.proof} />
          </div>
        </details>
      ) : null}
    </li>
  );
}

export function TraceLog({ traces }: { traces: Trace[] }) {
  return (
    <section
      aria-labelledby="trace-heading"
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <h2 id="trace-heading" className="text-lg font-semibold">
        Request trace
      </h2>
      <p className="text-sm text-slate-600">
        Every request this page made, newest first, with what the server itself reported.
      </p>
      {traces.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">Nothing yet.</p>
      ) : (
        <Collapsible
          summary={`${traces.length} ${traces.length === 1 ? "request" : "requests"}`}
          testId="trace-collapsible"
        >
          <ol
            className="mt-2 max-h-[32rem] divide-y divide-slate-100 overflow-y-auto pr-1"
            data-testid="trace-log"
            aria-live="polite"
            aria-relevant="additions"
          >
            {traces.map((trace) => (
              <TraceRow key={trace.id} trace={trace} />
            ))}
          </ol>
        </Collapsible>
      )}
    </section>
  );
}
