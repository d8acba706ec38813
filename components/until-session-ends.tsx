"use client";

import { useSyncExternalStore, type ReactNode } from "react";
import { sessionEnded, sessionEndedOnServer, subscribeSessionEnded } from "@/lib/ui/session/ended";

/**
 * Shows `children` (the signed-in view the server rendered) until script in this page learns that
 * the session has ended — an experiment signed it out — and from then on `ended`.
 */
export function UntilSessionEnds({ children, ended }: { children: ReactNode; ended: ReactNode }) {
  const isEnded = useSyncExternalStore(subscribeSessionEnded, sessionEnded, sessionEndedOnServer);
  return isEnded ? ended : children;
}
