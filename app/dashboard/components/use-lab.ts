"use client";

/**
 * The dashboard's state: the access token (in memory only — never localStorage or sessionStorage,
 * where any script could read it at leisure), the request trace, and what the experiments measured.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { tracedFetch, type Trace, type TraceRequest } from "@/lib/ui/lab/trace";
import type { DashboardProps, SessionView } from "@/lib/server/lab/dashboard-types";

export interface Measurements {
  sessionCall?: Trace;
  jwtCall?: Trace;
  strictCall?: Trace;
  /** Statuses of requests the page's code attached no credential to. */
  automatic?: { session: number; jwt: number };
  cookieReadableByScript?: boolean;
  restart?: { store: string; sessionStatus: number; jwtStatus: number };
  revoke?: { sessionStatus: number; jwtStatus: number; strictStatus: number };
  peer?: {
    origin: string;
    sessionStatus: number;
    jwtStatus: number;
    sessionInstance: string | null;
    jwtInstance: string | null;
  };
}

export interface Lab {
  props: DashboardProps;
  token: string | null;
  tokenError: string | null;
  session: SessionView;
  traces: Trace[];
  measurements: Measurements;
  signedOut: boolean;
  target: string;
  setTarget: (origin: string) => void;
  call: (request: Omit<TraceRequest, "sessionCookieBytes" | "sessionCookieName">) => Promise<Trace>;
  refreshToken: () => Promise<Trace | null>;
  setToken: (token: string | null) => void;
  measure: (update: Partial<Measurements>) => void;
  markSignedOut: () => void;
  url: (path: string) => string;
}

const MAX_TRACES = 40;
/** One name for every tab of this origin: the Web Locks API queues whoever asks for it. */
const REFRESH_LOCK = "authlab-refresh";

/**
 * Runs `fn` while holding the refresh lock, shared by every tab of this origin (Web Locks API), so two
 * tabs never present the one refresh cookie at the same moment: the second waits, then presents the
 * token the first one's answer left in the cookie jar. Without the API (older browsers, insecure
 * origins) the per-tab single-flight below still holds, and the server's reuse grace window
 * (REFRESH_REUSE_GRACE_SECONDS) answers the rare cross-tab race.
 */
function acrossTabs<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  return locks ? (locks.request(REFRESH_LOCK, fn) as Promise<T>) : fn();
}

export function useLab(props: DashboardProps): Lab {
  const [token, setToken] = useState<string | null>(null);
  const [tokenError, setTokenError] = useState<string | null>(null);
  const [session, setSession] = useState<SessionView>(props.session);
  const [traces, setTraces] = useState<Trace[]>([]);
  const [measurements, setMeasurements] = useState<Measurements>({});
  const [signedOut, setSignedOut] = useState(false);
  const [target, setTarget] = useState("");
  const refreshing = useRef<Promise<Trace | null> | null>(null);

  const measure = useCallback((update: Partial<Measurements>) => setMeasurements((m) => ({ ...m, ...update })), []);

  const call = useCallback(
    async (request: Omit<TraceRequest, "sessionCookieBytes" | "sessionCookieName">) => {
      const trace = await tracedFetch({
        ...request,
        sessionCookieBytes: props.cookie.bytes,
        sessionCookieName: props.cookie.name,
      });
      setTraces((list) => [trace, ...list].slice(0, MAX_TRACES));
      if (
        trace.status === 200 &&
        /\/api\/session$/.test(trace.url) &&
        trace.body &&
        typeof trace.body === "object" &&
        "session" in trace.body
      ) {
        if (!/^https?:/.test(trace.url)) setSession((trace.body as { session: SessionView }).session);
      }
      return trace;
    },
    [props.cookie.bytes, props.cookie.name],
  );

  /**
   * One refresh at a time in this tab, and one at a time across tabs (acrossTabs): presenting one
   * refresh token twice at once is what reuse detection looks for.
   */
  const refreshToken = useCallback(() => {
    refreshing.current ??= (async () => {
      try {
        const trace = await acrossTabs(() =>
          call({
            label: "Get an access token",
            flow: "auth",
            method: "POST",
            url: "/api/auth/refresh",
          }),
        );
        const body = trace.body as { accessToken?: string } | null;
        if (trace.status === 200 && body?.accessToken) {
          setToken(body.accessToken);
          setTokenError(null);
        } else {
          setTokenError(trace.description ?? `refresh answered ${trace.status}`);
        }
        return trace;
      } finally {
        refreshing.current = null;
      }
    })();
    return refreshing.current;
  }, [call]);

  useEffect(() => {
    void refreshToken();
  }, [refreshToken]);

  // Refresh a minute before expiry (or at three quarters of a short lifetime).
  useEffect(() => {
    const payload = token ? decodeJwt(token)?.payload : null;
    if (!payload || typeof payload.exp !== "number" || typeof payload.iat !== "number") return;
    const lifetime = payload.exp - payload.iat;
    const lead = Math.min(60, lifetime / 4);
    const delay = Math.max(1000, (payload.exp - lead) * 1000 - Date.now());
    const timer = setTimeout(() => void refreshToken(), delay);
    return () => clearTimeout(timer);
  }, [token, refreshToken]);

  return {
    props,
    token,
    tokenError,
    session,
    traces,
    measurements,
    signedOut,
    target,
    setTarget,
    call,
    refreshToken,
    setToken,
    measure,
    markSignedOut: () => setSignedOut(true),
    url: (path: string) => `${target}${path}`,
  };
}
