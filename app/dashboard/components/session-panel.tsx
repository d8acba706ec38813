"use client";

import { useState } from "react";
import Link from "next/link";
import type { Trace } from "@/lib/ui/lab/trace";
import { Button } from "@/components/ui/button";
import { Fact, InlineFact, InlineFacts, Panel } from "./panel";
import { LocalTime } from "@/components/local-time";
import { TraceSummary } from "./trace-summary";
import { formatRemaining, useNow } from "./use-now";
import type { Lab } from "./use-lab";

function Remaining({ until, total, label, testId }: { until: string; total: number; label: string; testId: string }) {
  const now = useNow();
  // Counted from the browser's clock once the page runs; the server's HTML shows no number.
  const left = now === null ? null : new Date(until).getTime() - now;
  const text = left === null ? "…" : formatRemaining(left);
  return (
    <div className="space-y-1">
      <div className="flex justify-between gap-2 text-xs text-slate-600">
        <span>{label}</span>
        <span className="whitespace-nowrap font-mono text-slate-900" data-testid={testId}>
          {text}
        </span>
      </div>
      <meter
        className="h-2 w-full"
        min={0}
        max={total}
        value={left === null ? total : Math.max(0, left)}
        aria-label={`${label}: ${text} left`}
      />
    </div>
  );
}

/** The artifact, compact: what the browser holds and how it travels. */
export function SessionArtifact({ lab }: { lab: Lab }) {
  const { cookie } = lab.props;
  return (
    <Panel title="The cookie your browser holds" tone="session" id="cookie-heading" testId="cookie-panel">
      <InlineFacts>
        <InlineFact label="name">{cookie.name}</InlineFact>
        <InlineFact label="size" testId="cookie-bytes">
          {cookie.bytes} bytes
        </InlineFact>
        <InlineFact label="attributes" testId="cookie-attributes">
          HttpOnly · SameSite={cookie.attributes.sameSite} · Path={cookie.attributes.path}
          {cookie.attributes.secure ? " · Secure" : " · not Secure (plain HTTP)"}
        </InlineFact>
      </InlineFacts>
      <ol className="flex flex-wrap gap-1 font-mono text-[11px]" aria-label="Parts of the sealed cookie">
        {cookie.segments.map((segment, i) => (
          <li key={i} className="rounded bg-session-50 px-1.5 py-0.5 text-session-800" title={segment.label}>
            <span className="sr-only">{segment.label}: </span>
            {segment.preview}
            <span className="whitespace-nowrap text-slate-600"> ({segment.bytes})</span>
          </li>
        ))}
      </ol>
      <details className="text-xs text-slate-700">
        <summary className="cursor-pointer font-medium">Opaque by design — why the page shows only its shape</summary>
        <p className="mt-1">
          iron-session encrypts it (AES-256-CBC) and signs it (HMAC-SHA-256) with SESSION_PASSWORD. Inside is only a
          random 128-bit token; the server keeps the record. HttpOnly means no script — this page included — can read
          it, so the dashboard shows its shape, not its value.
        </p>
      </details>
    </Panel>
  );
}

/** The record in the store, or — once an experiment ended it — that there is none. */
function SessionRecord({ lab }: { lab: Lab }) {
  const { session } = lab;
  const idleTotal = new Date(session.idleExpiresAt).getTime() - new Date(session.lastSeenAt).getTime();
  const absoluteTotal = new Date(session.expiresAt).getTime() - new Date(session.createdAt).getTime();
  if (lab.signedOut) {
    return (
      <Panel title="What it means (the record in the store)" tone="session" id="record-heading" testId="session-record">
        <p className="font-medium text-slate-900" data-testid="session-ended">
          No session: the record is gone from the {session.store} store.
        </p>
        <p className="text-xs text-slate-700">
          The cookie this browser may still hold names a record that no longer exists, so every session check answers
          401 no_session.{" "}
          <Link href="/login?next=/dashboard" className="font-semibold underline">
            Sign in again
          </Link>
        </p>
      </Panel>
    );
  }
  return (
    <Panel title="What it means (the record in the store)" tone="session" id="record-heading" testId="session-record">
      <dl className="space-y-1.5">
        <Fact label="store" testId="session-store">
          {session.store}
        </Fact>
        <Fact label="session id (public)">
          <span className="break-all">{session.id}</span>
        </Fact>
        <Fact label="created">
          <LocalTime instant={session.createdAt} />
        </Fact>
        <Fact label="last seen">
          <LocalTime instant={session.lastSeenAt} />
        </Fact>
      </dl>
      <Remaining
        until={session.idleExpiresAt}
        total={idleTotal}
        label="idle timeout (slides with use)"
        testId="idle-remaining"
      />
      <Remaining until={session.expiresAt} total={absoluteTotal} label="absolute timeout" testId="absolute-remaining" />
    </Panel>
  );
}

/** What the server keeps and the call that checks it. */
export function SessionDetails({ lab }: { lab: Lab }) {
  const [last, setLast] = useState<Trace | null>(null);

  async function callSession() {
    setLast(
      await lab.call({ label: "GET /api/session", flow: "session", url: lab.url("/api/session"), withCookies: true }),
    );
  }

  return (
    <div className="space-y-4">
      <SessionRecord lab={lab} />
      <Panel title="Call the API with the cookie" tone="session" id="session-call-heading">
        <p className="text-xs text-slate-700">
          The browser attaches the cookie by itself; the Node handler unseals it and looks the record up in the store.
        </p>
        <Button variant="session" onClick={callSession} data-testid="call-session">
          GET /api/session{lab.target ? ` on ${lab.target}` : ""}
        </Button>
        <div aria-live="polite">{last ? <TraceSummary trace={last} testId="session-call-result" /> : null}</div>
      </Panel>
    </div>
  );
}
