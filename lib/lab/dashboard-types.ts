import type { CookieShape } from "@/lib/lab/cookie-shape";

export interface SessionView {
  id: string;
  store: string;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  expiresAt: string;
}

export interface DashboardProps {
  user: { id: number; email: string; name: string; role: "USER" | "ADMIN" };
  session: SessionView;
  instance: string;
  databaseKind: "sqlite" | "postgresql";
  peers: string[];
  cookie: CookieShape;
  /** developmentExperiments: whether the experiments that change a role or expose a refresh token may run (never in production). */
  lab: { open: boolean; developmentExperiments: boolean };
  keys: { signingKid: string; kids: string[] };
  accessTokenTtlSeconds: number;
  clockToleranceSeconds: number;
  benchmark: BenchmarkSummary | null;
}

export interface BenchmarkSummary {
  measuredAt: string;
  jwtRps: number | null;
  sessionRps: number | null;
  jwtVerifyMicros: number | null;
  sessionCheckMicros: number | null;
}
