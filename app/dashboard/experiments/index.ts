/**
 * The experiments, in page order — which is also a safe order to run them: the ones that change your
 * role or refresh family restore it, and the two that may end the session (a restart with the memory
 * store, signing out everywhere) come last. One file per experiment; adding one is a file and a line here.
 */
import { algNone } from "./alg-none";
import { expire } from "./expire";
import { exposure } from "./exposure";
import { instanceExperiment } from "./instance";
import { replay } from "./replay";
import { restart } from "./restart";
import { revoke } from "./revoke";
import { role } from "./role";
import { rotation } from "./rotation";
import { shardFailoverExperiment } from "./shard";
import { steal } from "./steal";
import { tamper } from "./tamper";
import { twoTabs } from "./two-tabs";
import type { Experiment } from "./types";

export type { Experiment, RunInput } from "./types";

export const EXPERIMENTS: readonly Experiment[] = [
  tamper,
  algNone,
  expire,
  exposure,
  steal,
  role,
  replay,
  twoTabs,
  rotation,
  restart,
  revoke,
];

/**
 * The experiments that depend on how the server runs — another instance to call (npm run cluster), a
 * Redis Cluster to break (--sharded) — go before the ones that may end the session.
 */
export function experimentsFor(
  experiments: readonly Experiment[],
  deployment: { peer: string | undefined; redisCluster: boolean },
): Experiment[] {
  const extra = [
    ...(deployment.peer ? [instanceExperiment(deployment.peer)] : []),
    ...(deployment.redisCluster ? [shardFailoverExperiment] : []),
  ];
  const at = experiments.findIndex((e) => e.id === "restart");
  const list = [...experiments];
  list.splice(at === -1 ? list.length : at, 0, ...extra);
  return list;
}
