"use client";

import { useSyncExternalStore } from "react";
import { formatLocal, formatUtc, type DateStyle } from "@/lib/ui/dates";

const subscribeNever = () => () => {};

/** False on the server and while hydrating; true once the page runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}

/** An instant in the reader's locale and zone once the page runs; in UTC, zone named, in the server's HTML. */
export function LocalTime({ instant, style = "datetime" }: { instant: string | number; style?: DateStyle }) {
  const hydrated = useHydrated();
  const iso = new Date(instant).toISOString();
  return (
    <time dateTime={iso} title={formatUtc(instant, style)}>
      {hydrated ? formatLocal(instant, style) : formatUtc(instant, style)}
    </time>
  );
}
