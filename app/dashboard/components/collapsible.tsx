"use client";

import { useEffect, useRef, type ReactNode } from "react";

/** Below Tailwind's `sm` breakpoint (640 px): a phone, where long results would make the page very long. */
const SMALL_SCREEN_QUERY = "(max-width: 639.98px)";

/**
 * Long results (the flow details, the request trace, the benchmark charts) in a <details>: open on
 * wider screens, closed on a phone once the page runs (at 375 px the dashboard was ~9,500 px
 * long). Rendered open on the server, so what hydrates matches; the browser's own toggle does the rest.
 */
export function Collapsible({
  summary,
  children,
  testId,
}: {
  summary: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (details.current && window.matchMedia(SMALL_SCREEN_QUERY).matches) details.current.open = false;
  }, []);
  return (
    <details ref={details} open className="group" data-testid={testId}>
      <summary className="cursor-pointer py-1 text-sm font-medium text-slate-700 hover:text-slate-900">
        {summary}
      </summary>
      <div className="mt-2">{children}</div>
    </details>
  );
}
