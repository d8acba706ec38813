import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { config } from "@/lib/edge/config";
import { builtGate } from "@/lib/edge/gate/name";
import { requireUser } from "@/lib/server/dal";
import { isSecure } from "@/lib/edge/http/request-context";
import { sessionCookieName } from "@/lib/edge/cookies";
import { signingKeyOf } from "@/lib/edge/jwt/jwks-schema";
import { CLOCK_TOLERANCE_SECONDS } from "@/lib/edge/jwt/verify";
import { cookieShape } from "@/lib/server/lab/cookie-shape";
import { developmentExperimentsAllowed, labOpenTo } from "@/lib/server/lab/access";
import { sessionsOnCluster } from "@/lib/server/lab/shards/cluster";
import { latestBenchmark } from "@/lib/server/lab/benchmark-summary";
import { availableBenchmarkCharts } from "@/lib/server/lab/benchmark-charts";
import { StoreUnavailable } from "@/components/store-unavailable";
import { Dashboard } from "./components/dashboard";
import { BenchmarkCharts } from "./components/benchmark-charts";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const auth = await requireUser("/dashboard");
  if (auth.status === "unavailable") return <StoreUnavailable message={auth.message} />;
  const settings = config();
  const secure = isSecure(await headers());
  const seal = (await cookies()).get(sessionCookieName(secure))?.value ?? "";
  const keys = settings.jwt.privateKeys;

  return (
    <>
      <Dashboard
        user={auth.user}
        session={auth.session}
        instance={settings.instanceId}
        gate={builtGate()}
        databaseKind={settings.database.kind}
        peers={settings.http.corsOrigins}
        redisCluster={sessionsOnCluster()}
        cookie={cookieShape(seal, secure)}
        lab={{ open: labOpenTo(auth.user.role), developmentExperiments: developmentExperimentsAllowed() }}
        dpop={{ required: settings.dpop.required }}
        keys={{ signingKid: signingKeyOf(keys).kid, kids: keys.map((k) => k.kid) }}
        accessTokenTtlSeconds={settings.jwt.accessTokenTtlSeconds}
        clockToleranceSeconds={CLOCK_TOLERANCE_SECONDS}
        benchmark={latestBenchmark()}
      />
      <BenchmarkCharts charts={availableBenchmarkCharts()} />
    </>
  );
}
