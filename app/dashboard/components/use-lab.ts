"use client";

/**
 * The dashboard's state: the access token (in memory only — never localStorage or sessionStorage,
 * where any script could read it at leisure), the DPoP key it may be bound to (use-dpop.ts), the
 * request trace, and what the experiments measured.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { field } from "../experiments/kit";
import { tracedFetch, type Trace, type TraceRequest } from "@/lib/ui/lab/trace";
import { boundJktOf, createProof, rememberNonce, wantsNonce } from "@/lib/ui/dpop/proof";
import type { DashboardProps, SessionView } from "@/lib/server/lab/dashboard-types";
import { announceSessionEnded, subscribeSessionEnded } from "@/lib/ui/session/ended";
import { clearSavedMeasurements, loadMeasurements, saveMeasurements } from "@/lib/ui/lab/saved-measurements";
import { readDpopMode, useDpop, type Dpop } from "./use-dpop";
import type { RaceResult } from "./race-mechanisms";

export interface Measurements {
  sessionCall?: Trace;
  jwtCall?: Trace;
  strictCall?: Trace;
  /** Statuses of requests the page's code attached no credential to. */
  automatic?: { session: number; jwt: number };
  cookieReadableByScript?: boolean;
  restart?: { store: string; mode?: "process" | "simulated"; sessionStatus: number; jwtStatus: number };
  revoke?: { sessionStatus: number; jwtStatus: number; strictStatus: number };
  /** The revocation race's last run (use-revocation-race.ts). */
  race?: RaceResult;
  peer?: {
    origin: string;
    sessionStatus: number;
    jwtStatus: number;
    sessionInstance: string | null;
    jwtInstance: string | null;
  };
}

/**
 * A request as the page's code makes it. `token`: send this access token the way it must travel —
 * `Authorization: DPoP` with a fresh proof by the page's key when it is bound (`cnf.jkt`), else Bearer.
 * `proof`: attach a DPoP proof without a token (a token endpoint: refresh, the lab's token). `bearer`
 * and `dpop` send exactly what they say (the experiments play a thief with them).
 */
export type LabRequest = Omit<TraceRequest, "sessionCookieBytes" | "sessionCookieName"> & {
  token?: string | null;
  proof?: boolean;
};

/** What this page is running now: one experiment (or the race, or the page-load measurements) at a time. */
export interface Activity {
  id: string;
  title: string;
}

export interface Lab {
  props: DashboardProps;
  /**
   * The one thing running now, or null. Experiments take turns so that what a card shows — the
   * metrics and events it left behind, the requests it made — is its own and no other's.
   */
  activity: Activity | null;
  /** Starts `activity` if nothing else runs; false (and nothing started) when something does. */
  claim: (activity: Activity) => boolean;
  release: (id: string) => void;
  dpop: Dpop;
  token: string | null;
  tokenError: string | null;
  session: SessionView;
  traces: Trace[];
  measurements: Measurements;
  signedOut: boolean;
  target: string;
  setTarget: (origin: string) => void;
  call: (request: LabRequest) => Promise<Trace>;
  /** POST /api/auth/refresh as the page makes it: with a proof when DPoP is on (one refresh at a time). */
  refreshCall: (label: string) => Promise<Trace>;
  refreshToken: () => Promise<Trace | null>;
  /** Turns DPoP on or off for this origin's tabs; the reason it could not, or null. */
  switchDpop: (on: boolean) => Promise<string | null>;
  setToken: (token: string | null) => void;
  measure: (update: Partial<Measurements>) => void;
  /** Forgets every measurement, here and in sessionStorage. */
  clearMeasurements: () => void;
  markSignedOut: () => void;
  url: (path: string) => string;
}

const MAX_TRACES = 40;

/**
 * Which measurement a successful same-origin request is: the comparison fills in from every call this
 * page makes (the panels' buttons, the experiments and the page-load calls alike).
 */
function measurementOf(trace: Trace): Partial<Measurements> | null {
  if (trace.status !== 200 || (trace.method !== "GET" && trace.method !== "HEAD") || /^https?:/.test(trace.url))
    return null;
  if (trace.url === "/api/session") return { sessionCall: trace };
  if (trace.url === "/api/me") return { jwtCall: trace };
  if (trace.url === "/api/me/strict") return { strictCall: trace };
  return null;
}

/** A same-origin answer that says this browser's session is gone. */
const endsSession = (trace: Trace) =>
  !/^https?:/.test(trace.url) && trace.url === "/api/session" && trace.status === 401 && trace.error === "no_session";
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
  const [activity, setActivity] = useState<Activity | null>(null);
  // Read and written in the same tick as a click, so two Run buttons pressed at once cannot both start.
  const running = useRef<Activity | null>(null);
  const claim = useCallback((next: Activity) => {
    if (running.current) return false;
    running.current = next;
    setActivity(next);
    return true;
  }, []);
  const release = useCallback((id: string) => {
    if (running.current?.id !== id) return;
    running.current = null;
    setActivity(null);
  }, []);
  const refreshing = useRef<Promise<Trace | null> | null>(null);
  const dpop = useDpop(props.dpop.required);
  const { keyReady, noteProof } = dpop;

  const measure = useCallback((update: Partial<Measurements>) => setMeasurements((m) => ({ ...m, ...update })), []);
  const markSignedOut = useCallback(() => {
    setSignedOut(true);
    announceSessionEnded();
  }, []);
  // Another tab signed out (or this one learned it coming back into view): the cards and artifacts follow.
  useEffect(() => subscribeSessionEnded(() => setSignedOut(true)), []);
  const clearMeasurements = useCallback(() => {
    clearSavedMeasurements();
    setMeasurements({});
  }, []);

  // Restored after hydration (sessionStorage does not exist on the server, and the first client render
  // must match the server's HTML), then saved on every change.
  const restored = useRef(false);
  useEffect(() => {
    let live = true;
    void Promise.resolve(loadMeasurements<Measurements>()).then((saved) => {
      restored.current = true;
      if (live && saved) setMeasurements((current) => ({ ...saved, ...current }));
    });
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    if (restored.current) saveMeasurements(measurements);
  }, [measurements]);

  /** Turns `token` and `proof` into what travels: a DPoP proof by the page's key where one is needed. */
  const prepare = useCallback(
    async (request: LabRequest): Promise<TraceRequest> => {
      const { token: accessToken, proof, ...rest } = request;
      const method = rest.method ?? "GET";
      const key = accessToken !== undefined || proof ? await keyReady : null;
      if (proof && key) return { ...rest, dpop: { proof: await createProof(key, { method, url: rest.url }) } };
      if (accessToken === undefined) return rest;
      const bound = accessToken ? boundJktOf(decodeJwt(accessToken)?.payload) : null;
      // A bound token without the key (no IndexedDB here) goes as Bearer, and the server says why not.
      if (!accessToken || !bound || !key) return { ...rest, bearer: accessToken };
      const made = await createProof(key, { method, url: rest.url, accessToken });
      return { ...rest, dpop: { token: accessToken, proof: made } };
    },
    [keyReady],
  );

  const call = useCallback(
    async (request: LabRequest) => {
      const send = async () =>
        tracedFetch({
          ...(await prepare(request)),
          sessionCookieBytes: props.cookie.bytes,
          sessionCookieName: props.cookie.name,
        });
      let trace = await send();
      rememberNonce(trace.dpopNonce);
      // Under DPOP_NONCE the first proof may lack the server's nonce: once more, with the one it gave.
      if (trace.proof && trace.dpopNonce && wantsNonce(trace)) {
        trace = await send();
        rememberNonce(trace.dpopNonce);
      }
      if (trace.proof) noteProof(trace.proof);
      setTraces((list) => [trace, ...list].slice(0, MAX_TRACES));
      const measured = measurementOf(trace);
      if (measured) measure(measured);
      if (endsSession(trace)) markSignedOut();
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
    [prepare, noteProof, measure, markSignedOut, props.cookie.bytes, props.cookie.name],
  );

  /**
   * Read at the moment of the request (not from React state): inside the cross-tab lock, every tab
   * decides with the same switch, so no tab refreshes a bound family without a proof.
   */
  const refreshCall = useCallback(
    (label: string) =>
      call({ label, flow: "auth", method: "POST", url: "/api/auth/refresh", proof: readDpopMode(props.dpop.required) }),
    [call, props.dpop.required],
  );

  const applyRefresh = useCallback((trace: Trace) => {
    const body = trace.body as { accessToken?: string } | null;
    if (trace.status === 200 && body?.accessToken) {
      setToken(body.accessToken);
      setTokenError(null);
    } else {
      setTokenError(trace.description ?? `refresh answered ${trace.status}`);
    }
    return trace;
  }, []);

  /**
   * One refresh at a time in this tab, and one at a time across tabs (acrossTabs): presenting one
   * refresh token twice at once is what reuse detection looks for.
   */
  const refreshToken = useCallback(() => {
    refreshing.current ??= (async () => {
      try {
        return applyRefresh(await acrossTabs(() => refreshCall("Get an access token")));
      } finally {
        refreshing.current = null;
      }
    })();
    return refreshing.current;
  }, [refreshCall, applyRefresh]);

  /**
   * The switch, under the cross-tab refresh lock so no tab refreshes halfway through. On: the next
   * refresh carries a proof and binds the family. Off, with a bound family: that family can never
   * refresh without the key again (RFC 9449 §5), so a new, unbound one is started first (a lab endpoint).
   */
  const { setMode } = dpop;
  const switchDpop = useCallback(
    (on: boolean) =>
      acrossTabs(async () => {
        const bound = token !== null && boundJktOf(decodeJwt(token)?.payload) !== null;
        if (!on && bound) {
          const started = await call({
            label: "POST /api/lab/refresh-family (a new, unbound family: leave DPoP)",
            flow: "lab",
            method: "POST",
            url: "/api/lab/refresh-family",
            json: { exposeCopy: false },
          });
          if (started.status !== 200) return started.description ?? `the lab answered ${started.status}`;
        }
        setMode(on);
        applyRefresh(await refreshCall(on ? "Get an access token (DPoP on)" : "Get an access token (DPoP off)"));
        return null;
      }),
    [token, call, setMode, refreshCall, applyRefresh],
  );

  // On page load: an access token, then one call per flow, so the comparison starts measured.
  const measuredOnLoad = useRef(false);
  useEffect(() => {
    void refreshToken().then(async (trace) => {
      const token = field(trace?.body, "accessToken");
      if (measuredOnLoad.current || typeof token !== "string") return;
      measuredOnLoad.current = true;
      await call({ label: "GET /api/session (on page load)", flow: "session", url: "/api/session" });
      await call({ label: "GET /api/me (on page load)", flow: "jwt", url: "/api/me", token, withCookies: false });
    });
  }, [refreshToken, call]);

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
    activity,
    claim,
    release,
    dpop,
    token,
    tokenError,
    session,
    traces,
    measurements,
    signedOut,
    target,
    setTarget,
    call,
    refreshCall,
    refreshToken,
    switchDpop,
    setToken,
    measure,
    clearMeasurements,
    markSignedOut,
    url: (path: string) => `${target}${path}`,
  };
}
