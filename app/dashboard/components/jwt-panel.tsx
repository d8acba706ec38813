"use client";

import { useState } from "react";
import type { Trace } from "@/lib/ui/lab/trace";
import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { field } from "../experiments/kit";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Fact, InlineFact, InlineFacts, Panel } from "./panel";
import { TokenView } from "./token-view";
import { DpopPanel } from "./dpop-panel";
import { boundJktOf } from "@/lib/ui/dpop/proof";
import { TraceSummary } from "./trace-summary";
import { LocalTime } from "@/components/local-time";
import { formatRemaining, useNow } from "./use-now";
import type { Lab } from "./use-lab";
import { GATE_TITLES } from "@/lib/edge/gate/name";

const CLAIM_NOTES: Record<string, string> = {
  iss: "issuer",
  aud: "audience",
  sub: "user id (primary key)",
  role: "role when issued",
  iat: "issued at",
  exp: "expires at",
  jti: "token id",
  sid: "session it was issued beside",
  cnf: "confirmation: the DPoP key it is bound to",
};

function ClaimValue({ name, value }: { name: string; value: unknown }) {
  if ((name === "iat" || name === "exp" || name === "nbf") && typeof value === "number") {
    return (
      <>
        {value}{" "}
        <span className="text-slate-600">
          (<LocalTime instant={value * 1000} />)
        </span>
      </>
    );
  }
  // A cnf is one long unbroken string ({"jkt":"…"}); let it wrap on a narrow screen.
  return <span className="break-all">{JSON.stringify(value)}</span>;
}

/** The artifact, compact: the token in three colours, its size, and how long it has left. */
export function JwtArtifact({ lab }: { lab: Lab }) {
  const now = useNow();
  const decoded = lab.token ? decodeJwt(lab.token) : null;
  const exp = typeof decoded?.payload.exp === "number" ? decoded.payload.exp * 1000 : null;
  const iat = typeof decoded?.payload.iat === "number" ? decoded.payload.iat * 1000 : null;
  return (
    <Panel title="The token your code holds" tone="jwt" id="token-heading" testId="token-panel">
      {lab.tokenError ? <Alert tone="warning">No access token: {lab.tokenError}</Alert> : null}
      {lab.token && decoded ? (
        <>
          <TokenView token={lab.token} testId="access-token" compact />
          <InlineFacts>
            <InlineFact label="size" testId="token-bytes">
              {lab.token.length} bytes
            </InlineFact>
            <InlineFact label="type" testId="token-type">
              {boundJktOf(decoded.payload) ? "DPoP (bound to a key)" : "Bearer"}
            </InlineFact>
            <InlineFact label="kept in">page memory only</InlineFact>
            <InlineFact label="expires in" testId="token-remaining">
              {exp && now !== null ? formatRemaining(exp - now) : "—"}
            </InlineFact>
          </InlineFacts>
          {exp && iat ? (
            <meter
              className="h-2 w-full"
              min={0}
              max={exp - iat}
              value={now === null ? exp - iat : Math.max(0, exp - now)}
              aria-label="Access token lifetime left"
            />
          ) : null}
        </>
      ) : !lab.tokenError ? (
        <p className="text-slate-600">Getting a token from the refresh endpoint…</p>
      ) : null}
    </Panel>
  );
}

/** What a successful /api/me call knew, and where from: the token alone, or the token and the database. */
function Identity({ trace }: { trace: Trace }) {
  const sub = field<string>(trace.body, "claims", "sub");
  const role = field<string>(trace.body, "claims", "role");
  const email = field<string>(trace.body, "user", "email");
  const strict = /\/api\/me\/strict$/.test(trace.url);
  return (
    <p className="text-xs text-slate-700" data-testid="me-identity">
      /api/me{strict ? "/strict" : ""} says you are{" "}
      <strong>
        user #{sub}
        {email ? ` (${email})` : ""}
      </strong>{" "}
      with role <strong>{role}</strong>
      {strict
        ? " — the strict check read the database: the token is not revoked, and the profile came from there."
        : " — all it knows, from the token alone."}
    </p>
  );
}

/** The decoded token, the DPoP binding, and the calls that check it. */
export function JwtDetails({ lab }: { lab: Lab }) {
  const decoded = lab.token ? decodeJwt(lab.token) : null;
  const [last, setLast] = useState<Trace | null>(null);

  async function callMe(strict: boolean) {
    const path = strict ? "/api/me/strict" : "/api/me";
    setLast(
      await lab.call({
        label: `GET ${path}`,
        flow: "jwt",
        url: lab.url(path),
        token: lab.token,
        withCookies: false,
      }),
    );
  }

  return (
    <div className="space-y-4">
      <Panel title="Decoded in your browser — anyone can" tone="jwt" id="claims-heading" testId="claims-panel">
        {decoded ? (
          <>
            <p className="text-xs text-slate-700">
              Base64url is an encoding, not encryption: this page decodes it without any key. That is why the token
              carries only an id, a role and times — never an email or a name. The signature only proves the server
              issued it unchanged.
            </p>
            <div>
              <p className="mb-1 text-xs font-medium text-rose-800">header</p>
              <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">
                {JSON.stringify(decoded.header, null, 2)}
              </pre>
            </div>
            <div>
              <p className="mb-1 text-xs font-medium text-violet-800">claims</p>
              <dl className="space-y-1.5" data-testid="claims">
                {Object.entries(decoded.payload).map(([name, value]) => (
                  <Fact key={name} label={`${name} — ${CLAIM_NOTES[name] ?? "claim"}`} testId={`claim-${name}`}>
                    <ClaimValue name={name} value={value} />
                  </Fact>
                ))}
              </dl>
            </div>
          </>
        ) : (
          <p className="text-slate-600">No token yet.</p>
        )}
      </Panel>

      <DpopPanel lab={lab} />

      <Panel title="Call the API with the token" tone="jwt" id="jwt-call-heading">
        <p className="text-xs text-slate-700">
          Your code puts the token in the Authorization header (with a DPoP proof when it is bound); the{" "}
          {GATE_TITLES[lab.props.gate]} checks its signature and claims without a lookup, and the handler checks them
          again. The strict check also reads the database.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button variant="jwt" onClick={() => callMe(false)} disabled={!lab.token} data-testid="call-me">
            GET /api/me{lab.target ? ` on ${lab.target}` : ""}
          </Button>
          <Button variant="secondary" onClick={() => callMe(true)} disabled={!lab.token} data-testid="call-me-strict">
            GET /api/me/strict
          </Button>
        </div>
        <div aria-live="polite">
          {last ? (
            <div className="space-y-1">
              <TraceSummary trace={last} testId="jwt-call-result" />
              {last.status === 200 ? <Identity trace={last} /> : null}
            </div>
          ) : null}
        </div>
      </Panel>
    </div>
  );
}
