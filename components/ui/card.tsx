import type { ReactNode } from "react";

/** A white panel. `flush` drops the padding for lists and tables that run edge to edge. */
export function Card({
  children,
  className = "",
  as: Tag = "section",
  flush = false,
  ...rest
}: {
  children: ReactNode;
  className?: string;
  as?: "section" | "div" | "article";
  flush?: boolean;
  "aria-labelledby"?: string;
  "data-testid"?: string;
}) {
  const padding = flush ? "overflow-hidden" : "p-5 sm:p-6";
  return (
    <Tag className={`rounded-2xl border border-slate-200 bg-white shadow-sm ${padding} ${className}`} {...rest}>
      {children}
    </Tag>
  );
}
