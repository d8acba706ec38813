"use client";

import { Button } from "@/components/ui/button";
import { Fact, Panel } from "./panel";
import { TraceSummary } from "./trace-summary";
import { formatRemaining, formatTime, useNow } from "./use-now";
import type { Lab } from "./use-lab";

function Remaining({ until, total, label, testId }: { until: string; total: number; label: string; testId: string }) {
  const now = useNow();
  const left = new Date(until).getTime() - now;
  return (
    <div className="space-y-1">
      <div className="flex justify-between text-xs text-slate-600">
        <span>{label}</span>
        <span className="font-mono text-slate-900" data-testid={testId}>
          {formatRemaining(left)}
        </span>
      </div>
      <meter
        className="h-2 w-full"
        min={0}
        max={total}
        value={Math.max(0, left)}
        aria-label={`${label}: ${formatRemaining(left)} left`}
      />
    </div>
  );
}

export function SessionPanel({ lab }: { lab: Lab }) {
  const { props, session } = lab;
  const { cookie } = props;
  const last = lab.measurements.sessionCall;
  const idleTotal = new Date(session.idleExpiresAt).getTime() - new Date(session.lastSeenAt).getTime();
  const absoluteTotal = new Date(session.expiresAt).getTime() - new Date(session.createdAt).getTime();

  async function callSession() {
    const trace = await lab.call({
      label: "GET /api/session",
      flow: "session",
      url: lab.url("/api/session"),
      withCookies: true,
    });
    if (!lab.target) lab.measure({ sessionCall: trace });
  }

  return (
    <div className="space-y-4">
      <Panel title="The cookie (what your browser holds)" tone="session" id="cookie-heading" testId="cookie-panel">
        <dl className="space-y-1.5">
          <Fact label="name">{cookie.name}</Fact>
          <Fact label="size" testId="cookie-bytes">
            {cookie.bytes} bytes
          </Fact>
          <Fact label="attributes" testId="cookie-attributes">
            HttpOnly · SameSite={cookie.attributes.sameSite} · Path={cookie.attributes.path}
            {cookie.attributes.secure ? " · Secure" : " · not Secure (plain HTTP)"}
          </Fact>
        </dl>
        <div>
          <p className="mb-1 text-xs font-medium text-slate-600">Its shape (the value itself stays out of the page)</p>
          <ol className="flex flex-wrap gap-1 font-mono text-[11px]" aria-label="Parts of the sealed cookie">
            {cookie.segments.map((segment, i) => (
              <li key={i} className="rounded bg-session-50 px-1.5 py-0.5 text-session-800" title={segment.label}>
                <span className="sr-only">{segment.label}: </span>
                {segment.preview}
                <span className="text-slate-600"> ({segment.bytes})</span>
              </li>
            ))}
          </ol>
        </div>
        <p className="text-xs text-slate-700">
          <strong>Opaque by design.</strong> iron-session encrypts it (AES-256-CBC) and signs it (HMAC-SHA-256) with
          SESSION_PASSWORD. Inside is only a random 128-bit token; the server keeps the record. HttpOnly means no script
          — this page included — can read it, so the dashboard shows its shape, not its value.
        </p>
      </Panel>

      <Panel title="What it means (the record in the store)" tone="session" id="record-heading" testId="session-record">
        <dl className="space-y-1.5">
          <Fact label="store" testId="session-store">
            {session.store}
          </Fact>
          <Fact label="session id (public)">{session.id}</Fact>
          <Fact label="created">{formatTime(session.createdAt)}</Fact>
          <Fact label="last seen">{formatTime(session.lastSeenAt)}</Fact>
        </dl>
        <Remaining
          until={session.idleExpiresAt}
          total={idleTotal}
          label="idle timeout (slides with use)"
          testId="idle-remaining"
        />
        <Remaining
          until={session.expiresAt}
          total={absoluteTotal}
          label="absolute timeout"
          testId="absolute-remaining"
        />
      </Panel>

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
