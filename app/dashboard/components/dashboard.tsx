"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Comparison } from "./comparison";
import { ExperimentCard } from "./experiment-card";
import { EXPERIMENTS, crossInstanceExperiment } from "./experiments";
import { JwtPanel } from "./jwt-panel";
import { SessionPanel } from "./session-panel";
import { TraceLog } from "./trace-log";
import type { DashboardProps } from "@/lib/server/lab/dashboard-types";
import { useLab } from "./use-lab";
import { RevocationRace } from "./revocation-race";
import { useRevocationRace } from "./use-revocation-race";

export function Dashboard(props: DashboardProps) {
  const lab = useLab(props);
  const race = useRevocationRace(lab);
  const experiments = props.peers.length > 0 ? [...EXPERIMENTS, crossInstanceExperiment(props.peers[0]!)] : EXPERIMENTS;

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Dashboard</h1>
          <p className="mt-1 text-sm text-slate-600">
            Signed in as <strong>{props.user.email}</strong> (user #{props.user.id}, {props.user.role.toLowerCase()}) ·
            served by <code data-testid="page-instance">{props.instance}</code> · session store{" "}
            <Badge tone="session">{props.session.store}</Badge> · database{" "}
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
          expires.{" "}
          <Link href="/login?next=/dashboard" className="font-semibold underline">
            Sign in again
          </Link>
        </Alert>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="session-column">
          <h2 id="session-column" className="mb-3 text-lg font-semibold text-session-800">
            Session <span className="text-sm font-normal text-slate-600">— the server remembers</span>
          </h2>
          <SessionPanel lab={lab} />
        </section>
        <section aria-labelledby="jwt-column">
          <h2 id="jwt-column" className="mb-3 text-lg font-semibold text-jwt-800">
            JWT <span className="text-sm font-normal text-slate-600">— the token remembers</span>
          </h2>
          <JwtPanel lab={lab} />
        </section>
      </div>

      <Comparison lab={lab} race={race} />
      <RevocationRace race={race} />

      <section aria-labelledby="experiments-heading">
        <h2 id="experiments-heading" className="text-lg font-semibold">
          Experiments
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Each states what the design predicts, makes real requests, and shows what actually happened.
        </p>
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {experiments.map((experiment) => (
            <ExperimentCard key={experiment.id} experiment={experiment} lab={lab} />
          ))}
        </div>
      </section>

      <TraceLog traces={lab.traces} />
    </div>
  );
}
