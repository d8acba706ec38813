import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl space-y-4 py-12 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-indigo-700">404</p>
      <h1 className="text-3xl font-bold tracking-tight">Nothing here</h1>
      <p className="text-slate-700">This page does not exist. The lab is on the dashboard.</p>
      <div className="flex justify-center gap-3">
        <Link href="/" className={buttonClass("secondary")}>
          Home
        </Link>
        <Link href="/dashboard" className={buttonClass("primary")}>
          Dashboard
        </Link>
      </div>
    </div>
  );
}
