/**
 * Why a reader was sent to /login, as a closed set of codes in `?reason=`. The sign-in page shows a
 * sentence for a known code and ignores anything else, so the parameter cannot carry text of an
 * attacker's choosing onto the page. The codes say only what the reader's own browser already holds
 * (no cookie, or one the server could not open or no longer knows) — never which check failed inside.
 */
export const LOGIN_REASONS = ["sign_in_required", "expired", "ended", "unreadable"] as const;
export type LoginReason = (typeof LOGIN_REASONS)[number];

export function loginReasonOf(value: unknown): LoginReason | null {
  return typeof value === "string" && (LOGIN_REASONS as readonly string[]).includes(value)
    ? (value as LoginReason)
    : null;
}

/** `/login?next=…&reason=…`, relative. */
export function loginPath(next: string, reason: LoginReason): string {
  const query = new URLSearchParams({ next, reason });
  return `/login?${query.toString()}`;
}
