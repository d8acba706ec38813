import Link from "next/link";
import type { UserDto } from "@/lib/edge/identity";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Logo } from "@/components/logo";
import { UntilSessionEnds } from "@/components/until-session-ends";

/**
 * What the layout learned through the Data Access Layer: a signed-in user, nobody, or that the
 * session store could not be reached — then we do not know, and must not claim "signed out".
 */
export type HeaderAccount =
  { status: "signed-in"; user: UserDto } | { status: "signed-out" } | { status: "unavailable" };

const SIGNED_OUT_LINKS = (
  <>
    <Link className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100" href="/login">
      Sign in
    </Link>
    <Link className={buttonClass("primary", "px-3 py-1.5")} href="/signup">
      Create account
    </Link>
  </>
);

export function SiteHeader({ account }: { account: HeaderAccount }) {
  const signedIn = account.status === "signed-in" ? { user: account.user } : null;
  return (
    <header className="border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
        <Link href="/" className="flex items-center gap-2 rounded-md font-bold tracking-tight text-slate-900">
          <Logo />
          <span className="text-lg">authlab</span>
        </Link>
        <nav aria-label="Main" className="flex flex-wrap items-center gap-1 text-sm">
          {account.status === "unavailable" ? (
            <span className="rounded-md bg-amber-50 px-3 py-1.5 text-amber-900" data-testid="header-store-unavailable">
              Session store unreachable — sign-in state unknown
            </span>
          ) : signedIn ? (
            <UntilSessionEnds
              ended={
                <>
                  <span className="px-3 py-2 text-slate-600" data-testid="header-session-ended">
                    Session ended
                  </span>
                  {SIGNED_OUT_LINKS}
                </>
              }
            >
              <Link className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100" href="/dashboard">
                Dashboard
              </Link>
              <Link className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100" href="/sessions">
                Sessions
              </Link>
              {signedIn.user.role === "ADMIN" ? (
                <Link className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100" href="/admin">
                  Admin
                </Link>
              ) : null}
              <span className="ml-2 hidden items-center gap-2 text-slate-600 sm:flex" data-testid="signed-in-as">
                <span className="max-w-48 truncate">{signedIn.user.name}</span>
                <Badge tone={signedIn.user.role === "ADMIN" ? "warn" : "neutral"}>
                  {signedIn.user.role.toLowerCase()}
                </Badge>
              </span>
              {/* A plain form to the API: it works without JavaScript, and only there does the
                  browser send the refresh cookie (Path=/api/auth), so its family ends too. */}
              <form method="post" action="/api/auth/logout" className="ml-2">
                <button type="submit" className={buttonClass("secondary", "px-3 py-1.5")}>
                  Sign out
                </button>
              </form>
            </UntilSessionEnds>
          ) : (
            SIGNED_OUT_LINKS
          )}
        </nav>
      </div>
    </header>
  );
}
