import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { requireLabCaller } from "@/lib/server/lab/shards/caller";
import { notAllowed } from "@/lib/server/http/methods";
import { requireCluster } from "@/lib/server/lab/shards/cluster";
import { probeWitnesses, removeWitnesses } from "@/lib/server/lab/shards/probe";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** A witness as the kill answered it (`node` is where it was written; the probe reads it wherever it is now). */
const recordSchema = z.strictObject({
  owner: z.number().int(),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  node: z.string().max(300).optional(),
});
const bodySchema = z.strictObject({
  records: z.array(recordSchema).max(256),
  /** Delete every record of these owners afterwards (the experiment's clean-up). */
  remove: z.boolean().default(false),
});

/**
 * Reads the lab's witness records (present, absent, or unavailable: each shard answers for itself).
 * With the session or the access token: the caller's own shard may be the one that is down.
 */
export const POST = handle(async (request: NextRequest) => {
  await requireLabCaller(request);
  const { records, remove } = await readJson(request, bodySchema);
  await requireCluster();
  const states = await probeWitnesses(records);
  const removed = remove ? await removeWitnesses(records.map((r) => r.owner)) : 0;
  return json({ states, removed });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
