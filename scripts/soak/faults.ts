/**
 * The fault timeline, scaled to the run's duration: kill -9 of instance a (started again a moment
 * later), a Redis outage, then a SIGTERM restart of instance b. Each fault opens a window that closes
 * when it is healed; the phases of the report are the stretches between those moments.
 */
import type { Cluster, Instance } from "./cluster";
import type { FaultWindow, InstanceName } from "./samples";
import { checker, type SessionEntry } from "./traffic";

export interface Timeline {
  killAt: number;
  downFor: number;
  redisAt: number;
  redisFor: number;
  terminateAt: number;
}

/** Seconds from the start, for a run of `duration` seconds (150 s: 22, 60–70 and 105). */
export function timelineFor(duration: number): Timeline {
  return {
    killAt: 0.15 * duration,
    downFor: Math.max(2, 0.03 * duration),
    redisAt: 0.4 * duration,
    redisFor: Math.min(10, Math.max(3, 0.067 * duration)),
    terminateAt: 0.7 * duration,
  };
}

export interface Phase {
  name: string;
  from: number;
  to: number;
}

export interface Restart {
  instance: InstanceName;
  how: "kill -9" | "SIGTERM";
  /** From the fault to the instance answering again (ready, warm). */
  downMs: number;
  /** From spawn to the ready line (which comes after the warm-up). */
  startMs: number;
  /** For SIGTERM: how long the drain took, and how the process exited. */
  drain?: { ms: number; exitCode: number | null; signal: string | null };
  /** Milliseconds since the run started, when it answered again. */
  readyAt: number;
}

export interface OutageCheck {
  /** Sessions that were live when Redis went down and were not ended by their user since. */
  checked: number;
  survived: number;
  lost: number;
  /** Milliseconds since the run started, when Redis was running again (before any instance noticed). */
  redisBackAt: number;
}

export interface FaultRun {
  windows: FaultWindow[];
  phases: Phase[];
  restarts: Restart[];
  outage: OutageCheck;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function storeReachableEverywhere(cluster: Cluster, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answers = await Promise.all(
      Object.values(cluster.instances).map((instance) =>
        fetch(`${instance.url}/api/health`, { signal: AbortSignal.timeout(3000) })
          .then((r) => r.json() as Promise<{ storeReachable?: boolean }>)
          .catch(() => ({ storeReachable: false })),
      ),
    );
    if (answers.every((a) => a.storeReachable === true)) return;
    await sleep(200);
  }
  throw new Error("the instances did not reach Redis again within a minute");
}

/** Sessions that must outlive the outage answer 200 once it is over (append-only Redis kept them). */
async function checkSurvivors(
  cluster: Cluster,
  live: SessionEntry[],
  now: () => number,
  address: string,
): Promise<Omit<OutageCheck, "redisBackAt">> {
  const urls = { a: cluster.instances.a.url, b: cluster.instances.b.url };
  let survived = 0;
  let lost = 0;
  let checked = 0;
  for (const entry of live) {
    const answer = await checker(urls, address, entry.cookies).send("session", "/api/session");
    // Ended by its own user in the meantime — or being ended: traffic goes on during this check, and a
    // sign-out the server has already carried out may not have reached its client yet. Not this check's
    // business either way.
    const answeredAt = now();
    if ((entry.ended && entry.ended.at <= answeredAt) || (entry.ending !== undefined && entry.ending <= answeredAt))
      continue;
    checked += 1;
    if (answer.outcome.kind === "status" && answer.outcome.status === 200) survived += 1;
    else lost += 1;
  }
  return { checked, survived, lost };
}

export async function runFaults(
  cluster: Cluster,
  timeline: Timeline,
  now: () => number,
  liveSessions: () => SessionEntry[],
  onRestart: (instance: Instance) => Promise<void>,
): Promise<FaultRun> {
  const windows: FaultWindow[] = [];
  const restarts: Restart[] = [];
  const marks: [string, number][] = [["steady", 0]];
  const waitUntil = async (seconds: number) => {
    const wait = seconds * 1000 - now();
    if (wait > 0) await sleep(wait);
  };
  const { a, b } = cluster.instances;

  await waitUntil(timeline.killAt);
  const killed: FaultWindow = { kind: "kill", instance: "a", from: now(), to: Infinity };
  windows.push(killed);
  marks.push(["kill -9 a", killed.from]);
  await a.kill();
  await sleep(timeline.downFor * 1000);
  const aStart = await a.start();
  killed.to = now();
  restarts.push({
    instance: "a",
    how: "kill -9",
    downMs: killed.to - killed.from,
    startMs: aStart,
    readyAt: Math.round(killed.to),
  });
  marks.push(["steady", killed.to]);
  await onRestart(a);

  await waitUntil(timeline.redisAt);
  const outage: FaultWindow = { kind: "redis", from: now(), to: Infinity };
  windows.push(outage);
  marks.push(["redis down", outage.from]);
  const live = liveSessions();
  await cluster.redis.stop();
  await sleep(timeline.redisFor * 1000);
  await cluster.redis.start();
  const redisBackAt = now();
  await storeReachableEverywhere(cluster);
  outage.to = now();
  marks.push(["steady", outage.to]);
  const survivors = await checkSurvivors(cluster, live, now, "203.0.113.251");

  await waitUntil(timeline.terminateAt);
  const drained: FaultWindow = { kind: "drain", instance: "b", from: now(), to: Infinity };
  windows.push(drained);
  marks.push(["SIGTERM b", drained.from]);
  const drain = await b.terminate();
  const bStart = await b.start();
  drained.to = now();
  restarts.push({
    instance: "b",
    how: "SIGTERM",
    downMs: Math.round(drained.to - drained.from),
    startMs: Math.round(bStart),
    drain: { ms: Math.round(drain.ms), exitCode: drain.status.code, signal: drain.status.signal },
    readyAt: Math.round(drained.to),
  });
  marks.push(["steady", drained.to]);
  await onRestart(b);

  const phases = marks.map(([name, from], i) => ({
    name: `${i + 1} ${name}`,
    from,
    to: marks[i + 1]?.[1] ?? Infinity,
  }));
  return { windows, phases, restarts, outage: { ...survivors, redisBackAt } };
}
