"use client";

import { Button } from "@/components/ui/button";

/** A page failed on the server. The details stay in the server log (Next hides them in production). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl space-y-4 py-12 text-center" role="alert">
      <h1 className="text-2xl font-bold tracking-tight">Something went wrong on our side</h1>
      <p className="text-slate-700">
        The page could not be shown. It has been logged{error.digest ? ` (reference ${error.digest})` : ""}; trying
        again often helps.
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
