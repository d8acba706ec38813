"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Comparison } from "./comparison";
import { ExperimentCard } from "./experiment-card";
import { EXPERIMENTS, experimentsFor } from "../experiments";
import { Button } from "@/components/ui/button";
import { JwtArtifact, JwtDetails } from "./jwt-panel";
import { SessionArtifact, SessionDetails } from "./session-panel";
import { TraceLog } from "./trace-log";
import { Collapsible } from "./collapsible";
import type { DashboardProps } from "@/lib/server/lab/dashboard-types";
import { useLab } from "./use-lab";
import { GATE_TITLES } from "@/lib/edge/gate/name";
import { RevocationRace } from "./revocation-race";
import { RACE_ACTIVITY, useRevocationRace } from "./use-revocation-race";

export function Dashboard(props: DashboardProps) {
  const lab = useLab(props);
  const race = useRevocationRace(lab);
  // The experiment that shows most at once: a role change reaches the session on the next request and
  // the JWT only after a refresh, and it restores your role (development); elsewhere, tampering.
  const featuredId = props.lab.developmentExperiments ? "role" : "tamper";
  const featured = EXPERIMENTS.find((e) => e.id === featuredId);
  const experiments = experimentsFor(
    EXPERIMENTS.filter((e) => e !== featured),
    { peer: props.peers[0], redisCluster: props.redisCluster },
  );

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Dashboard</h1>
          <p className="mt-1 text-sm text-slate-600">
            Signed in as <strong>{props.user.email}</strong> (user #{props.user.id}, {props.user.role.toLowerCase()}) ·
            served by <code data-testid="page-instance">{props.instance}</code> through the{" "}
            <Badge tone="neutral" testId="page-gate">
              {GATE_TITLES[props.gate]}
            </Badge>{" "}
            gate · session store <Badge tone="session">{props.session.store}</Badge> · database{" "}
            <Badge tone="neutral" testId="database-kind">
              {props.databaseKind === "postgresql" ? "PostgreSQL" : "SQLite"}
            </Badge>
          </p>
        </div>
        {props.peers.length > 0 ? (
          <div className="flex items-center gap-2 text-sm">
            <label htmlFor="target" className="text-slate-700">
              Send calls to
            </label>
            <select
              id="target"
              value={lab.target}
              onChange={(e) => lab.setTarget(e.target.value)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
              data-testid="target-instance"
            >
              <option value="">this instance ({props.instance})</option>
              {props.peers.map((peer) => (
                <option key={peer} value={peer}>
                  {peer}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>

      {lab.signedOut ? (
        <Alert tone="warning" testId="signed-out-banner">
          Your session has ended, as the experiment intended. The access token in this page keeps working until it
          expires, so the experiments that need only the token still run.{" "}
          <Link href="/login?next=/dashboard" className="font-semibold underline">
            Sign in again
          </Link>
        </Alert>
      ) : null}

      {/* The first screen: both artifacts, compact, the experiment that tells most, then the comparison. */}
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <section aria-labelledby="session-column" className="min-w-0">
          <h2 id="session-column" className="mb-2 text-lg font-semibold text-session-800">
            Session <span className="text-sm font-normal text-slate-600">— the server remembers</span>
          </h2>
          <SessionArtifact lab={lab} />
        </section>
        <section aria-labelledby="jwt-column" className="min-w-0">
          <h2 id="jwt-column" className="mb-2 text-lg font-semibold text-jwt-800">
            JWT <span className="text-sm font-normal text-slate-600">— the token remembers</span>
          </h2>
          <JwtArtifact lab={lab} />
        </section>
        {featured ? (
          <section aria-labelledby="featured-heading" className="min-w-0 md:col-span-2 xl:col-span-1">
            <h2 id="featured-heading" className="mb-2 text-lg font-semibold">
              Try this first <span className="text-sm font-normal text-slate-600">— where the two disagree</span>
            </h2>
            <ExperimentCard experiment={featured} lab={lab} />
          </section>
        ) : null}
      </div>

      <div className="space-y-2">
        <Comparison lab={lab} race={race} />
        <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600">
          <span>Measured in this page, on load and by every experiment; kept for this tab (sessionStorage).</span>
          <Button variant="secondary" onClick={lab.clearMeasurements} data-testid="clear-measurements">
            Clear measurements
          </Button>
        </div>
      </div>
      <RevocationRace
        race={race}
        waitingFor={lab.activity && lab.activity.id !== RACE_ACTIVITY.id ? lab.activity.title : null}
      />

      <section aria-labelledby="experiments-heading">
        <h2 id="experiments-heading" className="text-lg font-semibold">
          More experiments
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Each states what the design predicts, makes real requests, and shows what actually happened. They run top to
          bottom: the ones that end your session come last.
        </p>
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {experiments.map((experiment) => (
            <ExperimentCard key={experiment.id} experiment={experiment} lab={lab} />
          ))}
        </div>
      </section>

      <section aria-labelledby="details-heading">
        <h2 id="details-heading" className="mb-1 text-lg font-semibold">
          Inside each flow
        </h2>
        <Collapsible summary="The session record, the cookie and the token in full" testId="flow-collapsible">
          <div className="grid gap-6 lg:grid-cols-2">
            <SessionDetails lab={lab} />
            <JwtDetails lab={lab} />
          </div>
        </Collapsible>
      </section>

      <TraceLog traces={lab.traces} />
    </div>
  );
}
