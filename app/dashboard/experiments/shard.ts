/**
 * "Kill a shard's primary": shown when the session store is a Redis Cluster. Sessions are sharded by
 * hash slot (a user's sessions share the `{userId}` tag), each shard a primary with one replica and
 * asynchronous replication. The lab kills the primary of this page's shard while writing a burst of
 * records there, and the page watches: its own session answers 503 until the replica is promoted,
 * witness records on the other shards answer throughout, and the burst's acknowledged records that had
 * not reached the replica are gone (Redis Cluster specification, "Write safety").
 */
import { LAYERS } from "@/lib/edge/trace";
import { field, sleepUntil, step, type StepResult } from "./kit";
import type { Experiment } from "./types";

interface Witness {
  owner: number;
  id: string;
  node: string;
}

/** How long the page waits for the promotion before it gives up and shows what it got. */
const FAILOVER_WAIT_SECONDS = 60;
const POLL_MS = 250;
/** The other shards are probed (traced: it is the evidence) once a second while the page waits. */
const PROBE_EVERY_MS = 1000;
/** Records the lab writes on the shard around the kill (it kills after half are acknowledged). */
const BURST = 40;

const states = (body: unknown) => field<string[]>(body, "states") ?? [];
const allPresent = (body: unknown) => states(body).length > 0 && states(body).every((s) => s === "present");

/** One untraced request (the poll makes dozens; the trace keeps the steps that say something). */
async function quietly(url: string): Promise<{ status: number }> {
  try {
    return { status: (await fetch(url, { cache: "no-store" })).status };
  } catch {
    return { status: 0 };
  }
}

export const shardFailoverExperiment: Experiment = {
  id: "shard",
  title: "Kill a shard's primary",
  needsSession: true,
  summary:
    "Sessions are spread over a Redis Cluster's shards by hash slot. Kill the primary holding yours, mid-write, and watch that shard fail over while the others keep answering.",
  warning:
    "Kills one of this demo's redis-server processes (npm run cluster -- --sharded starts it again as a replica).",
  unavailable: (lab) =>
    !lab.props.lab.developmentExperiments
      ? "kills a Redis process, so it runs only in development"
      : !lab.props.lab.open
        ? "lab endpoints are open to admins outside development"
        : null,
  async run({ lab, progress }) {
    const steps: StepResult[] = [];
    const where = step(
      steps,
      "GET /api/lab/shards: which shard holds this page's session",
      {
        status: 200,
        body: { holds: (b) => typeof field(b, "node") === "string", says: "a slot and the node serving it" },
      },
      await lab.call({ label: "GET /api/lab/shards", flow: "lab", url: "/api/lab/shards" }),
    );
    const slot = field<number>(where.body, "slot");
    const node = field<string>(where.body, "node");
    const shardCount = (field<unknown[]>(where.body, "shards") ?? []).length;
    if (where.status !== 200) return { steps };

    // With the access token, which needs no store: this page's own shard is the one about to go down.
    const probe = (label: string, records: { owner: number; id: string }[], remove = false) =>
      lab.call({
        label,
        flow: "lab",
        method: "POST",
        url: "/api/lab/shards/probe",
        json: { records, remove },
        token: lab.token,
        withCookies: false,
      });
    const sentAt = performance.now();
    const killed = step(
      steps,
      `POST /api/lab/shards/kill: SIGKILL ${node} while writing ${BURST} records on slot ${slot}'s shard`,
      { status: 200 },
      await lab.call({
        label: "POST /api/lab/shards/kill",
        flow: "lab",
        method: "POST",
        url: "/api/lab/shards/kill",
        json: { burst: BURST },
      }),
    );
    if (killed.status !== 200) return { steps };
    const witnesses = field<Witness[]>(killed.body, "witnesses") ?? [];
    const owner = field<number>(killed.body, "burst", "owner")!;
    const acknowledged = field<string[]>(killed.body, "burst", "acknowledged") ?? [];
    const refused = field<number>(killed.body, "burst", "refused") ?? 0;
    const inFlight = field<number>(killed.body, "burst", "inFlight") ?? 0;
    const windowMs = field<number>(killed.body, "burst", "windowMs") ?? 0;

    step(
      steps,
      "GET /api/session: this page's shard has no primary",
      { status: 503, error: "session_store_unavailable", layer: LAYERS.node },
      await lab.call({ label: "GET /api/session (shard down)", flow: "session", url: "/api/session" }),
    );
    step(
      steps,
      `POST /api/lab/shards/probe: a session record on each of the ${witnesses.length} other shards`,
      { status: 200, body: { holds: allPresent, says: "every one present" } },
      await probe("POST /api/lab/shards/probe (other shards)", witnesses),
    );
    step(
      steps,
      "GET /api/me: the token needs no store",
      { status: 200 },
      await lab.call({
        label: "GET /api/me (shard down)",
        flow: "jwt",
        url: "/api/me",
        token: lab.token,
        withCookies: false,
      }),
    );

    // Until the replica is promoted: this page's session every POLL_MS, and the other shards beside it.
    let polls = 0;
    let othersMissed = 0;
    let back = false;
    let lastProbe = performance.now();
    while (performance.now() - sentAt < FAILOVER_WAIT_SECONDS * 1000) {
      progress(`Waiting for the replica to be promoted (${((performance.now() - sentAt) / 1000).toFixed(1)} s)…`);
      if (performance.now() - lastProbe >= PROBE_EVERY_MS) {
        lastProbe = performance.now();
        const others = await probe("POST /api/lab/shards/probe (other shards, during the outage)", witnesses);
        polls += 1;
        if (others.status !== 200 || !allPresent(others.body)) othersMissed += 1;
      }
      const session = await quietly("/api/session");
      if (session.status !== 503 && session.status !== 0) {
        back = true;
        break;
      }
      await sleepUntil(Date.now() + POLL_MS);
    }
    progress(null);
    const outageSeconds = Math.round((performance.now() - sentAt) / 100) / 10;

    step(
      steps,
      back ? `GET /api/session: answered again after ${outageSeconds} s` : "GET /api/session after the wait",
      { status: 200, layer: LAYERS.node },
      await lab.call({ label: "GET /api/session (after failover)", flow: "session", url: "/api/session" }),
    );
    const counted = step(
      steps,
      `POST /api/lab/shards/probe: which of the ${acknowledged.length} acknowledged records the promoted replica has (then delete them)`,
      { status: 200 },
      await probe(
        "POST /api/lab/shards/probe (burst, clean up)",
        [...acknowledged.map((id) => ({ owner, id })), ...witnesses],
        true,
      ),
    );
    const survived = states(counted.body)
      .slice(0, acknowledged.length)
      .filter((s) => s === "present").length;
    const lost = acknowledged.length - survived;

    return {
      steps,
      note: [
        `This page's session hashes to slot ${slot}, served by ${node}, one of ${shardCount} shards.`,
        `The lab killed that primary ${windowMs} ms into a burst of writes there; its shard answered 503 for about ${outageSeconds} s`,
        `until the replica was promoted, while the other ${witnesses.length} shard(s) answered ${othersMissed === 0 ? "every one" : `all but ${othersMissed}`} of ${polls + 1} probes.`,
        `Lost: ${lost} of the ${acknowledged.length} writes the primary had acknowledged just before the kill`,
        lost > 0
          ? "— acknowledged, but not yet copied to the replica (replication is asynchronous)."
          : "— every acknowledged write had reached the replica this time (on loopback the replica is microseconds behind; on a network, and under load, it is further).",
        `${refused} ${refused === 1 ? "write was" : "writes were"} refused with an error, and ${inFlight} ${inFlight === 1 ? "was" : "were"} still unanswered at the kill: the caller knew not to count on them.`,
        "A session lost this way reads as signed out, never as someone else's.",
      ].join(" "),
    };
  },
};
