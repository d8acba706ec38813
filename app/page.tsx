import Link from "next/link";
import { verifySession } from "@/lib/server/dal";
import { FlowDiagram } from "@/components/flow-diagram";
import { buttonClass } from "@/components/ui/button";
import { builtGate, GATE_TITLES } from "@/lib/edge/gate/name";

/** The dashboard's experiments, in its order; each card links to the experiment (e2e checks both lists agree). */
const EXPERIMENTS = [
  ["role", "Change role", "The session sees it on the next request, the JWT after a refresh."],
  ["tamper", "Tamper", "Edit a claim in the token and keep the signature."],
  ["alg-none", "alg: none", "Send an unsigned token and see who accepts it."],
  ["expire", "Expire", "Mint a token that lives a few seconds."],
  ["exposure", "CSRF and XSS", "What the browser sends by itself, and what script can read."],
  ["steal", "Steal the token", "A copied Bearer token works for a thief; a DPoP-bound one does not."],
  ["replay", "Replay", "Use a refresh token twice and lose the whole family."],
  ["two-tabs", "Two tabs", "Two refreshes at once: the reuse grace window, or strict mode."],
  ["rotation", "Rotate keys", "Sign with a new key while old tokens keep verifying."],
  ["restart", "Restart", "Restart the server: the memory store forgets, a shared store keeps."],
  ["revoke", "Revoke", "Sign out everywhere: the session dies at once, the JWT lives until exp."],
] as const;

export default async function HomePage() {
  const signedIn = (await verifySession()).status === "signed-in";
  return (
    <div className="space-y-12">
      <section className="grid gap-8 lg:grid-cols-[1.1fr_1fr] lg:items-center">
        <div className="space-y-5">
          <p className="text-sm font-semibold uppercase tracking-wide text-indigo-700">
            A lab for the two ways servers remember you
          </p>
          <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
            Sessions and JWTs, side by side, live.
          </h1>
          <p className="max-w-xl text-lg text-slate-700">
            Sign in once. authlab gives you a <strong className="text-session-700">session</strong> (the server keeps a
            record and your browser holds an encrypted cookie naming it) and a{" "}
            <strong className="text-jwt-700">JWT</strong> (a signed token that carries who you are, so the server keeps
            nothing). Then it lets you break both.
          </p>
          <div className="flex flex-wrap gap-3">
            {signedIn ? (
              <Link href="/dashboard" className={buttonClass("primary", "px-5 py-2.5 text-base")}>
                Open the dashboard
              </Link>
            ) : (
              <>
                <Link href="/signup" className={buttonClass("primary", "px-5 py-2.5 text-base")}>
                  Create an account
                </Link>
                <Link href="/login" className={buttonClass("secondary", "px-5 py-2.5 text-base")}>
                  Sign in
                </Link>
              </>
            )}
          </div>
        </div>
        <FlowDiagram />
      </section>

      <section className="grid gap-6 md:grid-cols-2" aria-label="The two designs">
        <div className="rounded-2xl border border-session-100 bg-white p-6 shadow-sm">
          <h2 className="text-lg font-semibold text-session-800">What a session is</h2>
          <p className="mt-2 text-sm text-slate-700">
            The server remembers. Your cookie is sealed with iron-session and holds only a random token; the server
            looks it up in a store on every request. Revoking is instant — delete the record. The price: every request
            needs the store, and a store kept in one server&apos;s memory dies with that server. Sharing it (Redis)
            fixes that and makes the store the thing that must not fail.
          </p>
        </div>
        <div className="rounded-2xl border border-jwt-100 bg-white p-6 shadow-sm">
          <h2 className="text-lg font-semibold text-jwt-800">What a JWT is</h2>
          <p className="mt-2 text-sm text-slate-700">
            The token remembers. It is base64url, not encryption — anyone holding it can read it — so it carries only
            your user id, role, and its issue and expiry times. Its signature proves the server issued it unchanged, so
            any instance can check it without asking anyone. The price: it cannot be taken back before it expires unless
            the server keeps some state again.
          </p>
        </div>
      </section>

      <section aria-labelledby="gates-heading" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="gates-heading" className="text-lg font-semibold text-slate-900">
          Where the check runs: Edge middleware or Node proxy
        </h2>
        <p className="mt-2 text-sm text-slate-700">
          Next.js 16 renamed <code>middleware.ts</code> to <code>proxy.ts</code> and warns about the old name on every
          build; the new file always runs on Node, while the old one runs in the Edge runtime — so the warning is
          expected here, where the default build keeps the gate at the Edge on purpose. The same gate also ships as a
          Node proxy (<code>AUTHLAB_GATE=proxy</code>): the Edge gate checks tokens with Web APIs only and suits a
          platform that runs it near the user, while the Node gate can also read the session store and shares one
          process, and so one verified-token cache, with the handlers. This build runs the{" "}
          <strong>{GATE_TITLES[builtGate()]}</strong>; the dashboard compares both, measured.
        </p>
      </section>

      <section aria-labelledby="experiments-heading">
        <h2 id="experiments-heading" className="text-lg font-semibold">
          What you can try here
        </h2>
        <ul className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {EXPERIMENTS.map(([id, title, text]) => (
            <li key={id}>
              <Link
                href={`/dashboard#experiment-${id}`}
                className="block h-full rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition-colors hover:border-indigo-300 hover:bg-indigo-50/40"
                data-testid="home-experiment"
              >
                <span className="font-semibold text-slate-900">{title} →</span>
                <span className="mt-1 block text-sm text-slate-600">{text}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
