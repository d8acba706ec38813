import { builtGate, GATE_TITLES } from "@/lib/edge/gate/name";

/**
 * The one diagram on the landing page: the same browser, two ways of being recognised.
 * Plain markup (no images, no inline styles) so it works under the strict CSP and scales to 375 px.
 */
function Step({ children, tone }: { children: React.ReactNode; tone: "session" | "jwt" | "neutral" }) {
  const tones = {
    session: "border-session-100 bg-session-50 text-session-800",
    jwt: "border-jwt-100 bg-jwt-50 text-jwt-800",
    neutral: "border-slate-200 bg-white text-slate-800",
  };
  return (
    <div className={`rounded-lg border px-3 py-2 text-center text-xs font-medium sm:text-sm ${tones[tone]}`}>
      {children}
    </div>
  );
}

/** Points down when the steps stack (narrow screens), right when they sit in a row. */
function Arrow({ label }: { label: string }) {
  return (
    <div
      className="flex items-center justify-center gap-1 px-1 text-xs text-slate-600 sm:flex-col sm:gap-0"
      aria-hidden="true"
    >
      <span className="whitespace-nowrap">{label}</span>
      <span className="text-base leading-none text-slate-600 sm:hidden">↓</span>
      <span className="hidden text-base leading-none text-slate-600 sm:inline">→</span>
    </div>
  );
}

export function FlowDiagram() {
  return (
    <figure
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
      aria-labelledby="flow-caption"
    >
      <div className="space-y-4">
        <div>
          <p className="mb-2 text-xs font-semibold uppercase tracking-wide text-session-700">
            Session — the server remembers
          </p>
          <div className="grid grid-cols-1 items-center gap-1 sm:grid-cols-[1fr_auto_1fr_auto_1fr] sm:gap-2">
            <Step tone="neutral">Browser</Step>
            <Arrow label="cookie" />
            <Step tone="session">Node handler unseals it</Step>
            <Arrow label="lookup" />
            <Step tone="session">Session store (memory · DB · Redis)</Step>
          </div>
        </div>
        <div>
          <p className="mb-2 text-xs font-semibold uppercase tracking-wide text-jwt-700">JWT — the token remembers</p>
          <div className="grid grid-cols-1 items-center gap-1 sm:grid-cols-[1fr_auto_1fr_auto_1fr] sm:gap-2">
            <Step tone="neutral">Your code</Step>
            <Arrow label="Bearer" />
            <Step tone="jwt">{GATE_TITLES[builtGate()]} checks the signature</Step>
            <Arrow label="claims" />
            <Step tone="jwt">API handler (no lookup)</Step>
          </div>
        </div>
      </div>
      <figcaption id="flow-caption" className="mt-4 text-xs text-slate-600">
        Every request shows which layer checked it, how many store lookups it cost, and how long the server spent.
      </figcaption>
    </figure>
  );
}
