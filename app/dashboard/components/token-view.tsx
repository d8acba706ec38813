/** header.payload.signature in three colours, wrapping anywhere (tokens have no spaces). */
export function TokenView({ token, testId, compact }: { token: string; testId?: string; compact?: boolean }) {
  const [header, payload, signature] = token.split(".");
  return (
    <p
      className={`break-all rounded-lg bg-slate-950 p-3 font-mono text-[11px] leading-relaxed ${compact ? "max-h-20 overflow-y-auto" : "sm:text-xs"}`}
      // Scrollable when compact: keyboard users can reach the rest of it.
      tabIndex={compact ? 0 : undefined}
      data-testid={testId}
    >
      <span className="text-rose-300">{header}</span>
      <span className="text-slate-400">.</span>
      <span className="text-violet-300">{payload}</span>
      <span className="text-slate-400">.</span>
      <span className="text-sky-300">{signature}</span>
    </p>
  );
}
