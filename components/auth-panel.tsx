import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";

/** The frame around the sign-in and sign-up forms. */
export function AuthPanel({
  title,
  subtitle,
  children,
  aside,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <div className="mx-auto grid max-w-4xl gap-6 md:grid-cols-[1fr_18rem] md:items-start">
      <Card>
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        <p className="mb-6 mt-1 text-sm text-slate-600">{subtitle}</p>
        {children}
      </Card>
      {aside ? <aside className="space-y-4">{aside}</aside> : null}
    </div>
  );
}
