import { needsToken } from "./availability";
import { declare } from "./runner";
import type { Experiment } from "./types";
import { GATE, NODE } from "./steps";

/** The same cookie and token sent to another instance (npm run cluster): a shared store serves them, memory does not. */
export function instanceExperiment(peer: string): Experiment {
  return declare({
    id: "instance",
    title: "Another instance",
    needsSession: true,
    summary: `Send the same cookie and token to ${peer}. If this instance died, could that one serve you?`,
    unavailable: needsToken,
    steps: [
      {
        label: `GET ${peer}/api/session`,
        request: () => ({
          label: "GET /api/session (peer)",
          flow: "session",
          url: `${peer}/api/session`,
          withCookies: true,
        }),
        expect: ({ lab }) =>
          lab.props.session.store !== "memory"
            ? { status: 200, layer: NODE }
            : { status: 401, error: "no_session", layer: NODE },
      },
      {
        label: `GET ${peer}/api/me`,
        request: ({ lab }) => ({
          label: "GET /api/me (peer)",
          flow: "jwt",
          url: `${peer}/api/me`,
          token: lab.token,
          withCookies: false,
        }),
        expect: { status: 200, layer: GATE },
      },
    ],
    finish: ({ lab }, [session, jwt]) =>
      lab.measure({
        peer: {
          origin: peer,
          sessionStatus: session!.trace.status,
          jwtStatus: jwt!.trace.status,
          sessionInstance: session!.trace.instance,
          jwtInstance: jwt!.trace.instance,
        },
      }),
    note: ({ lab }) =>
      lab.props.session.store !== "memory"
        ? `Both instances read sessions from the shared ${lab.props.session.store} store, so either can serve you — as long as that store is up.`
        : "Sessions in one process's memory are invisible to every other instance.",
  });
}
