"use client";

import { formatTime, formatUtc, useHydrated } from "./use-now";

/** A time in the reader's zone once the page runs in the browser; in UTC in the server's HTML. */
export function LocalTime({ instant }: { instant: string | number }) {
  const hydrated = useHydrated();
  const iso = new Date(instant).toISOString();
  return <time dateTime={iso}>{hydrated ? formatTime(instant) : formatUtc(instant)}</time>;
}
