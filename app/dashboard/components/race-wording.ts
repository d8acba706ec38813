/**
 * How the revocation race's measurements read in words: one place for the race card, its chart and
 * the decision table, so they always say the same thing.
 */
import type { MechanismId, RaceOutcome, RaceResult } from "./race-mechanisms";
import { formatLocal } from "@/lib/ui/dates";

export const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1)} s`;

/** Only ever drawn after a race has run in this browser: the reader's own clock and locale. */
export function clockTime(iso: string): string {
  return formatLocal(iso, "time");
}

export function outcomeText(id: MechanismId, outcome: RaceOutcome, result: RaceResult): string {
  if (outcome.refusedAfterMs !== null) return `refused after ${seconds(outcome.refusedAfterMs)} (${outcome.answer})`;
  const limit = `still accepted after ${result.limitMs / 1000} s`;
  return id === "bearer" || id === "strict"
    ? `${limit}; accepted until exp at ${clockTime(result.accessTokenExpiresAt)}`
    : limit;
}

/** The cookie-cached session's label: which window, and who chose it. */
export function cacheLabel(race: { cacheSeconds: number; labMinted: boolean }): string {
  return race.labMinted
    ? `lab-minted, cache window ${race.cacheSeconds} s (this server runs with the cache off)`
    : `cache window ${race.cacheSeconds} s (SESSION_COOKIE_CACHE_SECONDS)`;
}
