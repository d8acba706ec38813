/** When an experiment can run here, as a reason it cannot (null: it can). */
import type { Lab } from "../components/use-lab";

export const needsToken = (lab: Lab) => (lab.token ? null : "waiting for an access token");

export const needsLab = (lab: Lab) =>
  lab.props.lab.open ? needsToken(lab) : "lab endpoints are open to admins outside development";

/** For an experiment that changes what only development may change (a role, the process, a token in page script). */
export const developmentOnly = (why: string) => (lab: Lab) =>
  lab.props.lab.developmentExperiments ? needsLab(lab) : `${why}, so it runs only in development`;
