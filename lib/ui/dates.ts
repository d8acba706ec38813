/**
 * One way to write an instant, the reader's: their locale and their time zone, through Intl — only in
 * the browser, where both are known. The server's HTML (and the first render while hydrating, which
 * must match it) writes the same instant in UTC, with the zone named; <LocalTime> swaps one for the
 * other once the page runs, so server and browser never disagree (React #418).
 */
export type DateStyle = "datetime" | "date" | "time";

const STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  datetime: { dateStyle: "medium", timeStyle: "medium" },
  date: { dateStyle: "medium" },
  time: { timeStyle: "medium" },
};

/** In the reader's locale and zone: call it only in the browser. */
export function formatLocal(instant: string | number | Date, style: DateStyle = "datetime"): string {
  return new Intl.DateTimeFormat(undefined, STYLES[style]).format(new Date(instant));
}

/** The same instant in UTC, written the same on every machine: "2026-12-07 06:43:00 UTC". */
export function formatUtc(instant: string | number | Date, style: DateStyle = "datetime"): string {
  const iso = new Date(instant).toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  return `${style === "time" ? time : style === "date" ? date : `${date} ${time}`} UTC`;
}
