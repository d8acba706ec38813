import type { ReactNode } from "react";

/** A column section with a heading that screen readers can navigate by. */
export function Panel({
  title,
  tone,
  children,
  id,
  testId,
}: {
  title: string;
  tone: "session" | "jwt" | "neutral";
  children: ReactNode;
  id: string;
  testId?: string;
}) {
  const border = tone === "session" ? "border-session-100" : tone === "jwt" ? "border-jwt-100" : "border-slate-200";
  return (
    <section
      aria-labelledby={id}
      data-testid={testId}
      className={`rounded-2xl border bg-white p-4 shadow-sm sm:p-5 ${border}`}
    >
      <h3 id={id} className="text-sm font-semibold uppercase tracking-wide text-slate-700">
        {title}
      </h3>
      <div className="mt-3 space-y-3 text-sm">{children}</div>
    </section>
  );
}

export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 border-b border-slate-100 pb-1.5 last:border-0">
      <dt className="text-slate-600">{label}</dt>
      <dd className="font-mono text-xs text-slate-900 sm:text-sm" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** Facts on one wrapping line, for the compact artifacts on the first screen. */
export function InlineFacts({ children }: { children: ReactNode }) {
  return <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs">{children}</dl>;
}

export function InlineFact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="inline text-slate-600">{label} </dt>
      <dd className="inline font-mono text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
