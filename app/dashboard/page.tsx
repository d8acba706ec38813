import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { config } from "@/lib/config";
import { requireUser } from "@/lib/dal";
import { isSecure } from "@/lib/http/request-context";
import { sessionCookieName } from "@/lib/auth/session/cookie";
import { signingKeyOf } from "@/lib/auth/jwt/jwks-schema";
import { CLOCK_TOLERANCE_SECONDS } from "@/lib/auth/jwt/verify";
import { cookieShape } from "@/lib/lab/cookie-shape";
import { developmentExperimentsAllowed, labOpenTo } from "@/lib/lab/access";
import { latestBenchmark } from "@/lib/lab/benchmark-summary";
import { StoreUnavailable } from "@/components/store-unavailable";
import { Dashboard } from "./components/dashboard";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const auth = await requireUser("/dashboard");
  if (auth.status === "unavailable") return <StoreUnavailable message={auth.message} />;
  const settings = config();
  const secure = isSecure(await headers());
  const seal = (await cookies()).get(sessionCookieName(secure))?.value ?? "";
  const keys = settings.jwtPrivateKeys;

  return (
    <Dashboard
      user={auth.user}
      session={auth.session}
      instance={settings.instanceId}
      databaseKind={settings.databaseKind}
      peers={settings.corsOrigins}
      cookie={cookieShape(seal, secure)}
      lab={{ open: labOpenTo(auth.user.role), developmentExperiments: developmentExperimentsAllowed() }}
      keys={{ signingKid: signingKeyOf(keys).kid, kids: keys.map((k) => k.kid) }}
      accessTokenTtlSeconds={settings.accessTokenTtlSeconds}
      clockToleranceSeconds={CLOCK_TOLERANCE_SECONDS}
      benchmark={latestBenchmark()}
    />
  );
}
